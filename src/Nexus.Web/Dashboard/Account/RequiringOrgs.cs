using Marten;
using Nexus.Shared.Accounts;
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

    public static async Task<IReadOnlyList<string>> NamesAsync(IQuerySession session, string userId, CancellationToken ct)
    {
        var orgIds = await session.Query<Membership>().Where(m => m.UserId == userId).Select(m => m.OrgId).ToListAsync(ct);
        if (orgIds.Count == 0) return [];
        var orgs = await session.LoadManyAsync<Organization>(ct, orgIds.Distinct().ToArray());
        return orgs.Where(o => o.RequireTwoFactor).Select(o => o.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

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
