using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.Create;

public sealed class Endpoint(EndpointManager endpoints, TimeProvider clock) : Endpoint<Request, EndpointWithSecret>
{
    public override void Configure()
    {
        Post("/webhook-endpoints");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Create a webhook endpoint";
            s.Description = "Registers a URL to receive the caller's mode's events as signed POSTs (Standard Webhooks). The URL is checked "
                + "now and again on every delivery: private, loopback and reserved addresses are refused (400 `url_blocked`). "
                + "The response is the only one that shows the signing `secret` without `admin:all`. An org may have 20 endpoints per mode.";
            s.ExampleRequest = new Request
            {
                Url = "https://example.com/webhooks/nexus", Description = "Order service",
                EnabledEvents = [EventCatalog.NoteCreated, EventCatalog.NoteUpdated],
            };
            s.ResponseExamples[201] = EndpointWithSecret.Example;
        });
        Description(b => b.WithTags(WebhookApi.EndpointsTag).Produces<EndpointWithSecret>(201)
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var spec = new EndpointSpec(req.Url, req.Description, req.EnabledEvents, RetryScheduleSeconds: req.RetrySchedule);
        var result = await endpoints.CreateAsync(caller.OrgId, caller.Mode, spec, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);

        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = result.Endpoint!.Id },
            new EndpointWithSecret(EndpointObject.From(result.Endpoint, clock.GetUtcNow()), result.Secret!), verb: FastEndpoints.Http.GET, cancellation: ct);
    }
}
