using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Nexus.Shared.Customers;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api.Customers;

/// <summary>
/// The <c>customer.*</c> events (<see cref="ObjectEvents"/>). <c>data</c> is the customer as the API
/// shows it; metadata is what a too-large event leaves out (50 values of 500 characters that JSON
/// escapes six bytes each pass the payload limit).
/// </summary>
public static class CustomerEvents
{
    public static Task<WebhookEvent> PublishAsync(IDocumentSession session, TimeProvider clock, string type, Customer customer,
        string? requestId, CancellationToken ct) =>
        ObjectEvents.PublishAsync(session, customer.OrgId, customer.Mode, type, Snapshot(customer), before: null, "metadata", requestId, clock, ct);

    /// <summary><c>customer.updated</c>, with <c>previous_attributes</c> from <paramref name="before"/> (<see cref="Snapshot"/> taken before the change).</summary>
    public static Task<WebhookEvent> PublishUpdateAsync(IDocumentSession session, TimeProvider clock, Customer customer, JsonObject before,
        string? requestId, CancellationToken ct) =>
        ObjectEvents.PublishAsync(session, customer.OrgId, customer.Mode, EventCatalog.CustomerUpdated, Snapshot(customer), before, "metadata", requestId, clock, ct);

    /// <summary>The customer as an event's <c>data</c> shows it.</summary>
    public static JsonObject Snapshot(Customer customer) => JsonSerializer.SerializeToNode(CustomerObject.From(customer), NexusJson.Options)!.AsObject();
}
