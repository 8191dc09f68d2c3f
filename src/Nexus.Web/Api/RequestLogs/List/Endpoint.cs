using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.RequestLogs.List;

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public const int PageMax = 100;
    public const int PageDefault = 20;

    public override void Configure()
    {
        Get("/request-logs");
        Scopes(KeyScopes.ReadLogs);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "List request logs";
            s.Description = "API requests made with the org's keys in the key's mode, newest first. Logs are written in batches a moment after each request, so the very latest request may not be listed yet.";
            s.ResponseExamples[200] = new Response { Data = [RequestLogView.Example], HasMore = false, NextCursor = null };
        });
        Description(b => b.WithTags(ApiTags.RequestLogs).ClearDefaultAccepts().Produces<Response>().Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var limit = Math.Min(req.Limit ?? PageDefault, PageMax);
        RequestLog? cursor = null;
        if (req.StartingAfter is { } after && (cursor = await RequestLogOrder.CursorAsync(session, caller.OrgId, caller.Mode, after, ct)) is null)
        {
            await ApiErrors.WriteAsync(HttpContext, ErrorCatalog.ParameterInvalid,
                $"starting_after must be the id of one of this org's {caller.Mode.ToWire()} request logs, taken from next_cursor; {after} is not (or has passed the org's retention).",
                "starting_after");
            return;
        }
        var query = session.Query<RequestLog>().Where(l => l.OrgId == caller.OrgId && l.Mode == caller.Mode);
        if (req.Status is { } status) query = query.WithStatusClass(status);
        if (req.KeyId is { } keyId) query = query.Where(l => l.KeyId == keyId);
        if (req.Path is { } path) query = query.Where(l => l.Path.StartsWith(path));
        if (req.Method is { } method) query = query.Where(l => l.Method == method);
        if (ApiQuery.TryParseTime(req.CreatedGte, out var gte)) query = query.Where(l => l.At >= gte);
        if (ApiQuery.TryParseTime(req.CreatedLt, out var lt)) query = query.Where(l => l.At < lt);

        var page = await RequestLogOrder.NewestFirst(query, cursor).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        if (hasMore) page = page.Take(limit).ToList();
        await Send.OkAsync(new Response
        {
            Data = page.Select(RequestLogView.From).ToList(),
            HasMore = hasMore,
            NextCursor = hasMore ? page[^1].Id : null,
        }, ct);
    }
}
