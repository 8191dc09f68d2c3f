using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Settings;

namespace Nexus.Web.Dashboard.Account;

/// <summary>
/// A change to one's own sign-in (password, second factor) is recorded in the audit log of every
/// org the user belongs to: each org's owners can see how its members' accounts are protected.
/// </summary>
public static class AccountChanges
{
    public static async Task AuditAsync(IDocumentSession session, User user, AuditActor actor, string action, IEnumerable<AuditChange> changes,
        TimeProvider clock, CancellationToken ct)
    {
        var orgIds = await session.Query<Membership>().Where(m => m.UserId == user.Id).Select(m => m.OrgId).ToListAsync(ct);
        var list = changes.ToList();
        foreach (var orgId in orgIds.Distinct())
            OrgChanges.Audit(session, orgId, actor, action, "user", user.Id, user.Email, list, clock);
    }
}
