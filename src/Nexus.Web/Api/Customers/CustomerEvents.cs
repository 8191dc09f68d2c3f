using System.Text.Json;
using Marten;
using Nexus.Shared.Customers;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api.Customers;

/// <summary>
/// The <c>customer.*</c> events, added to the write's own session (the outbox) so they commit with
/// the change or not at all. <c>data</c> is the customer as the API shows it; a customer's fields
/// are capped well below the event payload limit.
/// </summary>
public static class CustomerEvents
{
    public static Task<WebhookEvent> PublishAsync(IDocumentSession session, TimeProvider clock, string type, Customer customer,
        string? requestId, CancellationToken ct)
    {
        var data = JsonSerializer.SerializeToNode(CustomerObject.From(customer), NexusJson.Options)!.AsObject();
        if (type == EventCatalog.CustomerDeleted) data["deleted"] = true;
        return EventOutbox.PublishAsync(session, customer.OrgId, customer.Mode, type, data.ToJsonString(NexusJson.Options), requestId, clock, ct);
    }
}
