using FastEndpoints;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Mode = Nexus.Shared.Common.Mode;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Webhooks;

public static class WebhookAccess
{
    /// <summary>Viewers may look at endpoints and deliveries; every other role may change them.</summary>
    public static bool CanManageWebhooks(this DashboardMember member) => member.Membership.Role != Role.Viewer;

    /// <summary>Seeing a signing secret again is for owners and admins only (and audited).</summary>
    public static bool CanRevealSecrets(this DashboardMember member) => member.Membership.Role is Role.Owner or Role.Admin;

    /// <summary>
    /// The mode the page is showing (<see cref="Shared.DashboardMode"/>). Every Webhooks URL carries
    /// it, so an action on an endpoint of the other mode is a 404 like any endpoint that is not there.
    /// </summary>
    public static Mode WebhookMode(this HttpContext ctx) => Shared.DashboardMode.Of(ctx);
}

/// <summary>
/// Guards every webhook-changing dashboard route: a Viewer gets 403 before the handler runs (the
/// page hides the controls too, but a hidden button is no permission check).
/// </summary>
public sealed class WebhookManagersOnly : IGlobalPreProcessor
{
    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.ResponseStarted() || ctx.HttpContext.MemberOrNull() is not { } member || member.CanManageWebhooks()) return;
        await Results.Text("Viewers cannot change webhooks. Ask an owner or admin for the Developer role.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(ctx.HttpContext);
    }
}
