using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Authentication;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Accounts;

/// <summary>One of the user's orgs, for the switcher.</summary>
public sealed record OrgChoice(string Id, string Name, Role Role);

/// <summary>
/// Which org a session is for. The cookie carries one org; <see cref="DashboardAuth"/> re-checks the
/// membership on every request, so switching is only re-issuing the cookie after checking it here.
/// </summary>
public static class OrgSessions
{
    private const string ChoicesItem = "nx:org-choices";

    /// <summary>The org a new session opens in: the one last used while still a member, else the oldest membership; null when none is left.</summary>
    public static async Task<Organization?> OpeningOrgAsync(IQuerySession session, User user, CancellationToken ct)
    {
        var memberships = await session.Query<Membership>().Where(m => m.UserId == user.Id).ToListAsync(ct);
        var chosen = memberships.FirstOrDefault(m => m.OrgId == user.LastOrgId)
            ?? memberships.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault();
        return chosen is null ? null : await session.LoadAsync<Organization>(chosen.OrgId, ct);
    }

    /// <summary>
    /// Signs the user in to <paramref name="org"/> (a membership the caller has checked) and remembers it for the next login.
    /// The cookie carries <paramref name="sessionToken"/> (a session just opened) or else the current one: switching org keeps the session.
    /// </summary>
    public static async Task SignInAsync(HttpContext http, IDocumentSession session, User user, Organization org, CancellationToken ct, string? sessionToken = null)
    {
        var token = sessionToken ?? DashboardSessions.TokenOf(http.User) ?? throw new InvalidOperationException("No session to keep.");
        if (user.LastOrgId != org.Id)
        {
            session.Patch<User>(user.Id).Set(u => u.LastOrgId, org.Id);
            await session.SaveChangesAsync(ct);
        }
        await http.SignInAsync(DashboardAuth.Scheme, DashboardMember.Principal(user, org, token));
    }

    /// <summary>
    /// Every org the signed-in user belongs to, by name, when there is more than one (else none, with
    /// no query: the per-request membership check counted them); read once per request (the layout
    /// shows the menu twice).
    /// </summary>
    public static async Task<IReadOnlyList<OrgChoice>> ChoicesAsync(HttpContext http)
    {
        var member = http.Member();
        if (member.OrgCount <= 1) return [];
        if (http.Items[ChoicesItem] is IReadOnlyList<OrgChoice> cached) return cached;
        var session = http.RequestServices.GetRequiredService<IQuerySession>();
        var memberships = await session.Query<Membership>().Where(m => m.UserId == member.User.Id).ToListAsync(http.RequestAborted);
        IReadOnlyList<OrgChoice> choices = memberships.Count <= 1 ? [] :
            (await session.LoadManyAsync<Organization>(http.RequestAborted, memberships.Select(m => m.OrgId).ToArray()))
                .Join(memberships, o => o.Id, m => m.OrgId, (o, m) => new OrgChoice(o.Id, o.Name, m.Role))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id, StringComparer.Ordinal)
                .ToList();
        http.Items[ChoicesItem] = choices;
        return choices;
    }
}
