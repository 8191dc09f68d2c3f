using FastEndpoints;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Dashboard.Webhooks.Form;
using Nexus.Web.Dashboard.Webhooks.Secret;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Create;

/// <summary>
/// Registers an endpoint through <see cref="EndpointManager"/> (SSRF check, limit, audit) and shows
/// its signing secret; a refused form comes back as a 422 with each message next to its field.
/// </summary>
public sealed class Submit(EndpointManager endpoints, TimeProvider clock) : Endpoint<EndpointForm>
{
    public override void Configure()
    {
        Post("/webhooks/endpoints");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(EndpointForm form, CancellationToken ct)
    {
        var mode = HttpContext.WebhookMode();
        var errors = new FormErrors();
        if (form.ToSpec(errors) is { } spec)
        {
            var result = await endpoints.CreateAsync(HttpContext.Member().Org.Id, mode, spec, HttpContext.Actor(), ct);
            if (result.Refusal is { } refusal) errors.Add(refusal.Param ?? EndpointPanel.FormField, refusal.Message);
            else
            {
                await Send.ResultAsync(new SecretPanel(result.Endpoint!, result.Secret!, SecretReason.Created, clock.GetUtcNow()).Send(HttpContext));
                return;
            }
        }
        await Send.ResultAsync(RazorView.Fragment(EndpointPanel.View, form.Echo(null, mode, errors), StatusCodes.Status422UnprocessableEntity));
    }
}
