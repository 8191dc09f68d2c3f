using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings;

/// <summary>What every change to the org's own settings does besides the change itself.</summary>
public static class OrgChanges
{
    public static bool CanChangeOrg(this DashboardMember member) => member.Membership.Role is Role.Owner or Role.Admin;

    /// <summary>
    /// Queues, in the change's session: the NOTIFY that makes every web node drop its cached copy
    /// of the org, and an audit entry in each mode (org settings govern both, so each mode's audit
    /// log shows the change).
    /// </summary>
    public static void Record(IDocumentSession session, DashboardMember member, AuditActor actor, string action, AuditChange change, TimeProvider clock)
    {
        KeyChanges.QueueOrgNotify(session, member.Org.Id);
        Audit(session, member.Org.Id, actor, action, "organization", member.Org.Id, member.Org.Name, [change], clock);
    }

    /// <summary>An org-level audit entry in each mode: the org's people and settings govern both.</summary>
    public static void Audit(IDocumentSession session, string orgId, AuditActor actor, string action,
        string targetType, string targetId, string targetLabel, IEnumerable<AuditChange> changes, TimeProvider clock)
    {
        var list = changes.ToList();
        foreach (var mode in new[] { Nexus.Shared.Common.Mode.Test, Nexus.Shared.Common.Mode.Live })
        {
            var entry = AuditEntry.For(orgId, mode, actor, action, targetType, targetId, targetLabel, clock);
            entry.Changes.AddRange(list);
            session.Store(entry);
        }
    }
}

/// <summary>
/// Guards the routes that change the org's own settings (name, plan, log retention, body capture,
/// test data): Developers and Viewers get 403 before the handler runs. Requiring two-factor
/// authentication has its own, stricter rule (Owners only).
/// </summary>
public sealed class OrgAdminsOnly : IGlobalPreProcessor
{
    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.ResponseStarted() || ctx.HttpContext.MemberOrNull() is not { } member || member.CanChangeOrg()) return;
        await Results.Text("Only owners and admins can change the organization's settings.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(ctx.HttpContext);
    }
}
