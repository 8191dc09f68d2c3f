using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Customers.Get;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, CustomerObject>
{
    public override void Configure()
    {
        Get("/customers/{id}");
        Scopes(KeyScopes.ReadCustomers);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Retrieve a customer";
            s.Description = "Another org's customer is 404 like a customer that does not exist; for one of the other mode, the 404's message says it is there.";
            s.ResponseExamples[200] = CustomerObject.Example;
        });
        Description(b => b.WithTags(CustomerApi.Tag).ClearDefaultAccepts().Produces<CustomerObject>().Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct) =>
        await Send.OkAsync(CustomerObject.From(await CustomerApi.LoadAsync(session, HttpContext.Caller(), req.Id, ct)), ct);
}
