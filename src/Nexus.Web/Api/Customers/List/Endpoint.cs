using FastEndpoints;
using Marten;
using Nexus.Shared.Customers;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Customers.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/customers");
        Scopes(KeyScopes.ReadCustomers);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List customers";
            s.Description = "Customers of the key's org and mode, newest first. Cursor pagination: pass `next_cursor` as `starting_after`.";
            s.ResponseExamples[200] = new Response { Data = [CustomerObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(CustomerApi.Tag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = req.Limit ?? CustomerApi.PageDefault;
        var query = session.Query<Customer>().Where(c => c.OrgId == caller.OrgId && c.Mode == caller.Mode);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the id.
        if (req.StartingAfter is { } cursor) query = query.Where(c => string.Compare(c.Id, cursor) < 0);
        if (req.Email is { } email)
        {
            var lower = email.ToLowerInvariant();
            query = query.Where(c => c.EmailLower == lower);
        }

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, c => c.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(CustomerObject.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
