using FastEndpoints;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Keys;

public static class KeyAccess
{
    /// <summary>Viewers may look at keys; every other role may create, roll and revoke them.</summary>
    public static bool CanManageKeys(this DashboardMember member) => member.Membership.Role != Role.Viewer;
}

/// <summary>
/// Guards every key-changing dashboard route: a Viewer gets 403 before the handler runs (the
/// page hides the controls too, but a hidden button is no permission check).
/// </summary>
public sealed class KeyManagersOnly : IGlobalPreProcessor
{
    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.ResponseStarted() || ctx.HttpContext.MemberOrNull() is not { } member || member.CanManageKeys()) return;
        await Results.Text("Viewers cannot change API keys. Ask an owner or admin for the Developer role.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(ctx.HttpContext);
    }
}
