using Nexus.Shared.Webhooks;
using FastEndpoints;
using Marten;
using Nexus.Shared.Customers;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Customers.Delete;

/// <summary>What a delete answers: the id, and that it is gone.</summary>
public sealed class Response
{
    /// <summary>The deleted customer's id.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>customer</c>.</summary>
    public string Object { get; init; } = "customer";

    /// <summary>Always true.</summary>
    public bool Deleted { get; init; } = true;
}

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Get.Request, Response>
{
    public override void Configure()
    {
        Delete("/customers/{id}");
        Scopes(KeyScopes.WriteCustomers);
        Group<ApiV1Group>();
        Summary(s => s.Summary = "Delete a customer");
        Description(b => b.WithTags(CustomerApi.Tag).ClearDefaultAccepts().Produces<Response>().Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Get.Request req, CancellationToken ct)
    {
        var customer = await CustomerApi.LoadAsync(session, HttpContext.Caller(), req.Id, ct);
        session.Delete<Customer>(customer.Id);
        await CustomerEvents.PublishAsync(session, clock, EventCatalog.CustomerDeleted, customer, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(new Response { Id = customer.Id }, ct);
    }
}
