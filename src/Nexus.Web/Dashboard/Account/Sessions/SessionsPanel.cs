using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Account.Sessions;

/// <summary>
/// One active session in the list. <c>Id</c> is the session's document id (the hash of its cookie's
/// token, never the token itself), for the Sign out button of the other sessions.
/// </summary>
public sealed record SessionRow(string Id, string Device, string? Ip, DateTimeOffset SignedInAt, DateTimeOffset LastActiveAt, bool IsCurrent);

/// <summary>
/// Account → Sessions: where the user is signed in, the newest activity first, with a way to sign
/// out any other session or all of them. Every change answers with this panel.
/// </summary>
public sealed record SessionsPanel(IReadOnlyList<SessionRow> Sessions, string? Notice, DateTimeOffset Now)
{
    public const string View = "~/Dashboard/Account/Sessions/_Sessions.cshtml";
    public const string Path = "/account/sessions";

    /// <summary>A user with more sessions than this is shown the most recently active ones.</summary>
    public const int MaxShown = 50;

    public int Others => Sessions.Count(s => !s.IsCurrent);

    public static async Task<SessionsPanel> LoadAsync(IQuerySession session, HttpContext http, TimeProvider clock, CancellationToken ct, string? notice = null)
    {
        var now = clock.GetUtcNow();
        var current = http.CurrentSession();
        var since = now - UserSession.IdleLimit - UserSession.SeenEvery;
        var active = await session.Query<UserSession>()
            .Where(s => s.UserId == current.UserId && s.EndedAt == null && s.LastSeenAt >= since)
            .OrderByDescending(s => s.LastSeenAt).Take(MaxShown).ToListAsync(ct);
        // This request is activity too ("last seen" is written at most once a minute).
        var rows = active.Where(s => s.Id != current.Id && s.IsActiveAt(now)).Prepend(current)
            .Select(s => new SessionRow(s.Id, UserAgents.Describe(s.UserAgent), s.Ip, s.CreatedAt, s.Id == current.Id ? now : s.LastSeenAt, s.Id == current.Id))
            .OrderByDescending(r => r.LastActiveAt).ThenBy(r => r.IsCurrent ? 0 : 1)
            .ToList();
        return new SessionsPanel(rows, notice, now);
    }

    /// <summary>The panel for the Account page itself, which several endpoints render (with their form errors).</summary>
    public static Task<SessionsPanel> ForPageAsync(HttpContext http) =>
        LoadAsync(http.RequestServices.GetRequiredService<IQuerySession>(), http, http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestAborted);

    public RazorView Send() => RazorView.Fragment(View, this);
}
