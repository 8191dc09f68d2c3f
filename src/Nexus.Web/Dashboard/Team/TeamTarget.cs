using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team;

/// <summary>
/// A membership a member change is about, read inside the team lock together with the acting
/// member's own current role (it may have changed since the request began) and the org's Owner count.
/// </summary>
public sealed record TeamTarget(Membership Membership, User User, Role ActorRole, int Owners)
{
    /// <summary>Null when <paramref name="membershipId"/> is malformed, missing, another org's, or the actor is no longer a member: all answer 404.</summary>
    public static async Task<TeamTarget?> LoadAsync(IDocumentSession session, DashboardMember member, string? membershipId, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(membershipId, "mem")) return null;
        await session.LockTeamAsync(member.Org.Id, ct);
        var target = await session.LoadAsync<Membership>(membershipId!, ct);
        var actor = await session.LoadAsync<Membership>(member.Membership.Id, ct);
        if (target is null || target.OrgId != member.Org.Id || actor is null) return null;
        var user = await session.LoadAsync<User>(target.UserId, ct);
        if (user is null) return null;
        return new TeamTarget(target, user, actor.Role, await session.OwnerCountAsync(member.Org.Id, ct));
    }
}
