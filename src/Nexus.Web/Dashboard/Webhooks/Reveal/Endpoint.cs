using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Secret;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Webhooks.Reveal;

/// <summary>
/// Shows an endpoint's current secret again, to owners and admins only; <see cref="EndpointManager"/>
/// records who looked. A POST, because looking is an audited act, not a plain read.
/// </summary>
public sealed class Endpoint(EndpointManager endpoints, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/reveal");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (!member.CanRevealSecrets())
        {
            await Send.ResultAsync(Results.Text("Only owners and admins can reveal signing secrets.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden));
            return;
        }
        var result = await endpoints.RevealSecretAsync(member.Org.Id, HttpContext.WebhookMode(), Route<string>("id")!, HttpContext.Actor(), ct);
        if (result.Endpoint is null) await Send.NotFoundAsync(ct);
        else await Send.ResultAsync(new SecretPanel(result.Endpoint, result.Secret!, SecretReason.Revealed, clock.GetUtcNow()).Send(HttpContext));
    }
}
