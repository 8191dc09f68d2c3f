using FastEndpoints;
using Htmx;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Dashboard.Webhooks.Form;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Edit;

/// <summary>Changes an endpoint's URL, description and events through <see cref="EndpointManager"/>; closes the form and refreshes the list.</summary>
public sealed class Submit(EndpointManager endpoints) : Endpoint<EndpointForm>
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(EndpointForm form, CancellationToken ct)
    {
        var (orgId, mode, id) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode(), Route<string>("id")!);
        if (await endpoints.FindAsync(orgId, mode, id, ct) is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        var errors = new FormErrors();
        if (form.ToSpec(errors) is { } spec)
        {
            var result = await endpoints.UpdateAsync(orgId, mode, id, spec, HttpContext.Actor(), ct);
            if (result.Refusal?.Code == Refusal.ResourceMissing)
            {
                await Send.NotFoundAsync(ct);
                return;
            }
            if (result.Refusal is { } refusal) errors.Add(refusal.Param ?? EndpointPanel.FormField, refusal.Message);
            else
            {
                HttpContext.Response.Htmx(h => h.WithTrigger(WebhookTriggers.EndpointsChanged));
                await Send.ResultAsync(RazorView.Fragment(Notice.View, Notice.Done("Endpoint saved", result.Endpoint!.Url)));
                return;
            }
        }
        await Send.ResultAsync(RazorView.Fragment(EndpointPanel.View, form.Echo(id, mode, errors), StatusCodes.Status422UnprocessableEntity));
    }
}
