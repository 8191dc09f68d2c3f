using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Store;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Account;

/// <summary>
/// The user's orgs that require two-factor authentication: while there is one, it cannot be turned off.
/// Asked only where that matters (the Account page of a user who has it on, and turning it off), never
/// per dashboard request.
/// </summary>
public static class RequiringOrgs
{
    private const string Item = "nx:requiring-orgs";

    /// <summary>
    /// Takes the two-factor lock of each org (in the session's transaction, held until it commits or
    /// rolls back). Turning two-factor off takes those of all the user's orgs before it checks that none
    /// requires it, and an Owner requiring it takes their org's before writing: so the check and the
    /// requirement cannot interleave, and a member is never let through in the moment the org starts
    /// requiring it. In id order, so two callers taking several can never each hold one the other waits for.
    /// </summary>
    public static async Task LockAsync(IDocumentSession session, IEnumerable<string> orgIds, CancellationToken ct)
    {
        foreach (var orgId in orgIds.Distinct().Order(StringComparer.Ordinal))
            await session.LockNameAsync("org-two-factor:" + orgId, ct);
    }

    public static async Task<IReadOnlyList<string>> NamesAsync(IQuerySession session, string userId, CancellationToken ct) =>
        await NamesAsync(session, await OrgIdsAsync(session, userId, ct), ct);

    public static async Task<IReadOnlyList<string>> NamesAsync(IQuerySession session, IReadOnlyList<string> orgIds, CancellationToken ct)
    {
        if (orgIds.Count == 0) return [];
        var orgs = await session.LoadManyAsync<Organization>(ct, orgIds.Distinct().ToArray());
        return orgs.Where(o => o.RequireTwoFactor).Select(o => o.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static async Task<IReadOnlyList<string>> OrgIdsAsync(IQuerySession session, string userId, CancellationToken ct) =>
        await session.Query<Membership>().Where(m => m.UserId == userId).Select(m => m.OrgId).ToListAsync(ct);

    /// <summary>For the Account page's view, read once per request, and only when the signed-in user has two-factor on.</summary>
    public static async Task<IReadOnlyList<string>> OfSignedInAsync(HttpContext http)
    {
        var member = http.Member();
        if (!member.User.TwoFactorEnabled) return [];
        if (http.Items[Item] is IReadOnlyList<string> cached) return cached;
        var names = await NamesAsync(http.RequestServices.GetRequiredService<IQuerySession>(), member.User.Id, http.RequestAborted);
        http.Items[Item] = names;
        return names;
    }
}
