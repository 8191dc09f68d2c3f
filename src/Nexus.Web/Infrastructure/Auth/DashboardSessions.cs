using System.Security.Claims;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// The server-side record behind each dashboard cookie (<see cref="UserSession"/>): opened at login
/// and signup, checked by <see cref="DashboardAuth"/> on every request, ended by logout, by the user
/// on the Account page, by a password change (all but the current one) or by a password reset (all). The cookie carries the
/// token; nothing but its hash is stored, and neither is ever logged or shown.
/// </summary>
public static class DashboardSessions
{
    public const string TokenClaim = "nx:sid";
    private const string CurrentItem = "nx:session";

    /// <summary>The session of this request, loaded by <see cref="DashboardAuth"/> with the member.</summary>
    public static UserSession CurrentSession(this HttpContext http) =>
        http.Items[CurrentItem] as UserSession ?? throw new InvalidOperationException("No signed-in dashboard session.");

    internal static void SetCurrent(HttpContext http, UserSession session) => http.Items[CurrentItem] = session;

    public static string? TokenOf(ClaimsPrincipal? principal) => principal?.FindFirstValue(TokenClaim);

    /// <summary>
    /// Stores a new session for <paramref name="user"/> and returns the token its cookie is to carry. A
    /// session this browser had before (signed in as someone else) is ended: its cookie is about to be replaced.
    /// </summary>
    public static async Task<string> OpenAsync(HttpContext http, IDocumentSession session, User user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (TokenOf(http.User) is { } previous)
        {
            var previousId = SessionTokens.Hash(previous);
            session.Patch<UserSession>(s => s.Id == previousId && s.EndedAt == null).Set(s => s.EndedAt, now);
        }
        var token = SessionTokens.New();
        session.Store(new UserSession
        {
            Id = SessionTokens.Hash(token),
            UserId = user.Id,
            CreatedAt = now,
            LastSeenAt = now,
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = UserSession.TrimUserAgent(http.Request.Headers.UserAgent.ToString()),
        });
        await session.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>Ends one session (queued; the caller saves).</summary>
    public static void End(IDocumentSession session, string id, DateTimeOffset now) =>
        session.Patch<UserSession>(s => s.Id == id && s.EndedAt == null).Set(s => s.EndedAt, now);

    /// <summary>
    /// Ends every session of the user but <paramref name="keepId"/> (queued; the caller saves) and
    /// returns how many of them were still active (the ones the user could see in the list).
    /// </summary>
    public static async Task<int> EndOthersAsync(IDocumentSession session, string userId, string keepId, DateTimeOffset now, CancellationToken ct)
    {
        var others = await session.Query<UserSession>().Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keepId).ToListAsync(ct);
        foreach (var other in others) End(session, other.Id, now);
        return others.Count(s => s.IsActiveAt(now));
    }

    /// <summary>
    /// Ends every session of the user (queued; the caller saves): a password reset signs out every device.
    /// One update, as <see cref="End"/> is: nothing needs reading first.
    /// </summary>
    public static void EndAll(IDocumentSession session, string userId, DateTimeOffset now) =>
        session.Patch<UserSession>(s => s.UserId == userId && s.EndedAt == null).Set(s => s.EndedAt, now);

    /// <summary>
    /// Records that the session was seen, at most once per <see cref="UserSession.SeenEvery"/>: a status
    /// poll every few seconds must not write a row each time. Best effort: a failure only logs.
    /// </summary>
    internal static async Task SeenAsync(HttpContext http, UserSession current, DateTimeOffset now)
    {
        if (!current.NeedsSeenAt(now)) return;
        var ip = http.Connection.RemoteIpAddress?.ToString();
        try
        {
            await using var write = http.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
            // Only forwards: a slow request must not move "last seen" back over a later one (the IP first: the
            // second patch moves the time on). The throttle itself is the check above, on the row this request loaded.
            write.Patch<UserSession>(s => s.Id == current.Id && s.LastSeenAt < now).Set(s => s.Ip, ip);
            write.Patch<UserSession>(s => s.Id == current.Id && s.LastSeenAt < now).Set(s => s.LastSeenAt, now);
            await write.SaveChangesAsync(http.RequestAborted);
            (current.LastSeenAt, current.Ip) = (now, ip);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The user id only: the session's token and hash stay out of logs.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardSessions))
                .LogWarning(e, "Could not record that a session of {UserId} was seen", current.UserId);
        }
    }
}
