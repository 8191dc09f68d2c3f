using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Store;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team;

public static class TeamAccess
{
    public static bool CanManageTeam(this DashboardMember member) => TeamRules.CanManageTeam(member.Membership.Role);

    /// <summary>
    /// Serializes an org's member changes in the session's transaction, so "at least one Owner" and
    /// "one pending invitation per email" are checked against what is committed, not a stale read.
    /// </summary>
    public static Task LockTeamAsync(this IDocumentSession session, string orgId, CancellationToken ct) =>
        session.LockNameAsync("team:" + orgId, ct);

    public static Task<int> OwnerCountAsync(this IQuerySession session, string orgId, CancellationToken ct) =>
        session.Query<Membership>().CountAsync(m => m.OrgId == orgId && m.Role == Role.Owner, ct);
}

/// <summary>Guards the routes that change members and invitations: Developers and Viewers get 403 before the handler runs.</summary>
public sealed class TeamManagersOnly : IGlobalPreProcessor
{
    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.ResponseStarted() || ctx.HttpContext.MemberOrNull() is not { } member || member.CanManageTeam()) return;
        await Results.Text("Only owners and admins can invite or manage members.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(ctx.HttpContext);
    }
}
