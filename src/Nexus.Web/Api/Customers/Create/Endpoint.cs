using Nexus.Shared.Webhooks;
using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Customers.Create;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, CustomerObject>
{
    public override void Configure()
    {
        Post("/customers");
        Scopes(KeyScopes.WriteCustomers);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Create a customer";
            s.Description = "Creates a customer in the key's org and mode.";
            s.ExampleRequest = new Request { Name = "Jenny Rosen", Email = "jenny@example.com", Metadata = new() { ["crm_id"] = "8841" } };
            s.ResponseExamples[201] = CustomerObject.Example;
        });
        Description(b => b.WithTags(CustomerApi.Tag).Produces<CustomerObject>(201).Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var now = clock.GetUtcNow();
        var email = string.IsNullOrEmpty(req.Email) ? null : req.Email;
        var customer = new Customer
        {
            Id = Ids.New(Customer.IdPrefix, clock),
            OrgId = caller.OrgId,
            Mode = caller.Mode,
            Name = string.IsNullOrEmpty(req.Name) ? null : req.Name,
            Email = email,
            EmailLower = email?.ToLowerInvariant(),
            Metadata = CustomerApi.Merge([], req.Metadata),
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(customer);
        await CustomerEvents.PublishAsync(session, clock, EventCatalog.CustomerCreated, customer, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = customer.Id }, CustomerObject.From(customer), verb: FastEndpoints.Http.GET, cancellation: ct);
    }
}
