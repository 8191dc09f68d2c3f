using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Endpoints;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Toggle;

/// <summary>The enable/disable button as posted.</summary>
public sealed class ToggleForm
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    public string? Enabled { get; set; }
}

/// <summary>Enables or disables an endpoint through <see cref="EndpointManager"/> (audited) and answers with the refreshed list.</summary>
public sealed class Endpoint(IDocumentSession session, EndpointManager endpoints, TimeProvider clock) : Endpoint<ToggleForm>
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/enabled");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(ToggleForm form, CancellationToken ct)
    {
        var (member, mode) = (HttpContext.Member(), HttpContext.WebhookMode());
        if (form.Enabled is not ("true" or "false"))
        {
            await Send.ResultAsync(Results.Text("Say whether the endpoint is enabled: true or false.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest));
            return;
        }
        var result = await endpoints.UpdateAsync(member.Org.Id, mode, Route<string>("id")!, new EndpointSpec(Enabled: form.Enabled == "true"), HttpContext.Actor(), ct);
        if (result.Refusal?.Code == Refusal.ResourceMissing)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        await Send.ResultAsync(RazorView.Fragment(EndpointList.View, await EndpointList.LoadAsync(session, member, mode, clock, ct)));
    }
}
