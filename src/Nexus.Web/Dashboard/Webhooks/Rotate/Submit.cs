using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Secret;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Rotate;

/// <summary>Rotates the secret through <see cref="EndpointManager"/> (audited) and shows the new one once.</summary>
public sealed class Submit(EndpointManager endpoints, TimeProvider clock) : Endpoint<RotateForm>
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/rotate");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RotateForm form, CancellationToken ct)
    {
        var (orgId, mode, id) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!);
        var endpoint = await endpoints.FindAsync(orgId, mode, id, ct);
        if (endpoint is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (RotatePanel.Problem(form.GraceHours, out var hours) is { } problem)
        {
            await Send.ResultAsync(RazorView.Fragment(RotatePanel.View, RotatePanel.For(endpoint) with { Error = problem }, StatusCodes.Status422UnprocessableEntity));
            return;
        }
        var result = await endpoints.RotateSecretAsync(orgId, mode, id, TimeSpan.FromHours(hours), HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal)
            await Send.ResultAsync(RazorView.Fragment(RotatePanel.View, new RotatePanel(endpoint, hours, refusal.Message), StatusCodes.Status422UnprocessableEntity));
        else
            await Send.ResultAsync(new SecretPanel(result.Endpoint!, result.Secret!, SecretReason.Rotated, clock.GetUtcNow()).Send(HttpContext));
    }
}
