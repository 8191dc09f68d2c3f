using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Customers.Update;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, CustomerObject>
{
    public override void Configure()
    {
        Post("/customers/{id}");
        Scopes(KeyScopes.WriteCustomers);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Update a customer";
            s.Description = "Changes the fields given and leaves the others. Metadata is merged: named keys are set, keys given an empty value are removed.";
            s.ExampleRequest = new Request { Email = "jenny.rosen@example.com", Metadata = new() { ["tier"] = "gold" } };
            s.ResponseExamples[200] = CustomerObject.Example;
        });
        Description(b => b.WithTags(CustomerApi.Tag).Produces<CustomerObject>().Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var customer = await CustomerApi.LoadAsync(session, HttpContext.Caller(), req.Id, ct);
        var metadata = CustomerApi.Merge(customer.Metadata, req.Metadata);
        if (metadata.Count > CustomerApi.MetadataKeysMax)
            throw new ApiException(ErrorCatalog.ParameterInvalid,
                $"metadata may have at most {CustomerApi.MetadataKeysMax} keys; with this change the customer would have {metadata.Count}.", "metadata");

        var before = CustomerEvents.Snapshot(customer);
        if (req.Name is not null) customer.Name = req.Name.Length == 0 ? null : req.Name;
        if (req.Email is not null)
        {
            customer.Email = req.Email.Length == 0 ? null : req.Email;
            customer.EmailLower = customer.Email?.ToLowerInvariant();
        }
        customer.Metadata = metadata;
        customer.UpdatedAt = clock.GetUtcNow();
        session.Store(customer);
        await CustomerEvents.PublishUpdateAsync(session, clock, customer, before, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(CustomerObject.From(customer), ct);
    }
}
