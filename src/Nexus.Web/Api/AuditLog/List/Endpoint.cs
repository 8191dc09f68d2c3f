using FastEndpoints;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.AuditLog.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public const int PageDefault = 10;

    public override void Configure()
    {
        Get("/audit-log");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List audit entries";
            s.Description = "Every change to the org's API keys (create, update, roll, revoke) in the caller's mode, newest first: who, what, when, "
                + "from which IP, and the values before and after. Filters combine. Cursor pagination: pass `next_cursor` as `starting_after`. "
                + "Entries cannot be edited or deleted.";
            s.ResponseExamples[200] = new Response { Data = [AuditEntryObject.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(AuditLogApi.Tag).ClearDefaultAccepts().Produces<Response>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = req.Limit ?? PageDefault;
        var query = session.Query<AuditEntry>().Where(e => e.OrgId == caller.OrgId && e.Mode == caller.Mode);
        // Ids are time-ordered, so "older than the cursor" is a plain comparison on the key.
        if (req.StartingAfter is { } cursor) query = query.Where(e => string.Compare(e.Id, cursor) < 0);
        if (req.Action is { } action) query = query.Where(e => e.Action == action);
        if (req.ActorId is { } actor) query = query.Where(e => e.ActorId == actor);
        if (req.TargetId is { } target) query = query.Where(e => e.TargetId == target);
        if (ApiQuery.TryParseTime(req.CreatedGte, out var from)) query = query.Where(e => e.At >= from);
        if (ApiQuery.TryParseTime(req.CreatedLt, out var to)) query = query.Where(e => e.At < to);

        var (page, hasMore) = await ApiQuery.NewestFirstAsync(query, e => e.Id, limit, ct);
        await Send.OkAsync(new Response
        {
            Data = page.Select(AuditEntryObject.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
