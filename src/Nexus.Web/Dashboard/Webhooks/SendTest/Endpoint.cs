using System.Text.Json;
using FastEndpoints;
using Htmx;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.SendTest;

/// <summary>
/// "Send test event": a <c>test.ping</c> event queued for this one endpoint only, whatever it
/// subscribes to. The event and its delivery commit together (the outbox), and the worker sends
/// it like any other, signed and through the SSRF guard. Audited in the same transaction, like
/// a retry or a replay: it sends a request to the endpoint's URL on the org's behalf.
/// </summary>
public sealed class Endpoint(IDocumentSession session, EndpointManager endpoints, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/webhooks/endpoints/{id}/test");
        Group<DashboardGroup>();
        Definition.PreProcessor<WebhookManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (orgId, mode) = (HttpContext.Member().Org.Id, HttpContext.WebhookMode());
        var endpoint = await endpoints.FindAsync(orgId, mode, Route<string>("id")!, ct);
        if (endpoint is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (!endpoint.Enabled)
        {
            await Send.ResultAsync(RazorView.Fragment(Notice.View,
                Notice.Refused("No test event sent", $"The endpoint {endpoint.Url} is disabled. Enable it first, then send a test event."),
                StatusCodes.Status422UnprocessableEntity));
            return;
        }

        var data = JsonSerializer.Serialize(new
        {
            @object = "test",
            message = "Hello from Nexus. If you can read this, your endpoint works.",
            endpoint_id = endpoint.Id,
        });
        var evt = EventOutbox.NewEvent(orgId, mode, EventCatalog.TestPing, data, HttpContext.TraceIdentifier, clock);
        evt.EndpointCount = 1;
        session.Store(evt);
        var delivery = EventOutbox.Enqueue(session, evt, endpoint.Id, DeliveryTriggers.Event, clock);
        session.Store(AuditEntry.For(orgId, mode, HttpContext.Actor(), AuditActions.EndpointTestSent, "webhook_endpoint", endpoint.Id, endpoint.Url, clock));
        await session.SaveChangesAsync(ct);

        HttpContext.Response.Htmx(h => h.WithTrigger(WebhookTriggers.DeliveriesChanged));
        await Send.ResultAsync(RazorView.Fragment(Notice.View,
            Notice.Done("Test event queued", $"{evt.Id} is on its way to {endpoint.Url} (delivery {delivery.Id}). Watch it in the deliveries below.")));
    }
}
