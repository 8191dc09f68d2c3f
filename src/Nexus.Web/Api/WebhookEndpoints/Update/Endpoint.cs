using System.Text.Json;
using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.Update;

public sealed class Endpoint(EndpointManager endpoints, TimeProvider clock) : Endpoint<Request, EndpointObject>
{
    public override void Configure()
    {
        Post("/webhook-endpoints/{id}");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Update a webhook endpoint";
            s.Description = "Changes the URL, description, event types, retry schedule, or disables and enables the endpoint; absent fields keep their value. "
                + "A new URL is checked like on create. Events that happen while an endpoint is disabled are not queued for it.";
            // A JsonElement left undefined cannot be written, so the example names a schedule.
            s.ExampleRequest = new Request { EnabledEvents = ["*"], Disabled = false, RetrySchedule = JsonDocument.Parse("[60, 300, 900]").RootElement.Clone() };
            s.ResponseExamples[200] = EndpointObject.Example;
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).Produces<EndpointObject>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEndpoint>(req.Id, WebhookEndpoint.IdPrefix);
        var caller = HttpContext.Caller();
        var spec = new EndpointSpec(req.Url, req.Description, req.EnabledEvents, Enabled: req.Disabled is { } disabled ? !disabled : null,
            RetryScheduleSeconds: req.Schedule(), ClearRetrySchedule: req.RetrySchedule.ValueKind == JsonValueKind.Null);
        var result = await endpoints.UpdateAsync(caller.OrgId, caller.Mode, req.Id, spec, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);
        await Send.OkAsync(EndpointObject.From(result.Endpoint!, clock.GetUtcNow()), ct);
    }
}
