using Microsoft.OpenApi;
using Nexus.Web.Api.AuditLog;
using Nexus.Web.Api.Customers;
using Nexus.Web.Api.Keys;
using Nexus.Web.Api.WebhookEndpoints;

namespace Nexus.Web.Infrastructure.Docs;

/// <summary>
/// The sections of each API reference, in the order a reader meets them: the resources first, then
/// webhooks, then managing the org's access and watching its traffic. Each gets a line saying what it
/// is for, and the operations under it run list, create, retrieve, update, then the actions.
/// </summary>
public static class ApiTags
{
    public const string Notes = "Notes";
    public const string RequestLogs = "Request logs";
    public const string Usage = "Usage";

    public static readonly (string Name, string Description)[] InOrder =
    [
        (Notes, "Short texts, the example resource of this API. Creating, changing or deleting one sends a `note.*` event to your webhook endpoints."),
        (CustomerApi.Tag, "The people and businesses you serve, with an email, a name and up to 50 metadata pairs of your own. Changes send `customer.*` events."),
        (WebhookApi.EventsTag, "Something that happened in your org, as your webhook endpoints receive it. Nexus creates events for its own changes; `POST /api/v1/events` sends one of yours (`custom.*`)."),
        (WebhookApi.EndpointsTag, "The HTTPS URLs Nexus delivers events to. Each has its own signing secret (Standard Webhooks) and the event types it subscribes to."),
        (WebhookApi.DeliveriesTag, "One event on its way to one endpoint: its attempts and their answers. Failed attempts are retried after 1, 5 and 15 minutes, then dead-lettered; retry one by hand here."),
        (KeyApi.Tag, "The org's secret and publishable keys in the caller's mode: create, restrict, roll and revoke them. A key's secret is shown once, when it is created or rolled."),
        (RequestLogs, "Every API request made with the org's keys: caller, route, answer, latency and error code. Never a header's secret or a body, unless the org turned on debug capture."),
        (Usage, "Requests, errors and latency per key, day and endpoint, and how close each key is to its plan's limits."),
        (AuditLogApi.Tag, "Who changed what in the org, from the dashboard or the API, with the values before and after. Entries cannot be edited or deleted."),
    ];

    /// <summary>Names the document's tags with their descriptions, in <see cref="InOrder"/>, and orders its paths to match.</summary>
    public static void Apply(OpenApiDocument doc)
    {
        var used = (doc.Paths ?? []).Values.SelectMany(TagsOf).ToHashSet();
        doc.Tags = new HashSet<OpenApiTag>(InOrder.Where(t => used.Contains(t.Name)).Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

        // Paths in tag order, a collection before its items and an item before its actions
        // (/keys, /keys/{id}, /keys/{id}/roll); within a path, reads first (MethodOrder).
        var order = InOrder.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var paths = new OpenApiPaths();
        foreach (var (path, item) in (doc.Paths ?? []).OrderBy(p => TagIndex(p.Value, order)).ThenBy(p => p.Key.Count(c => c == '/')).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            if (item is OpenApiPathItem { Operations: { } operations } concrete)
                concrete.Operations = operations.OrderBy(o => Array.IndexOf(MethodOrder, o.Key.Method) is var i and >= 0 ? i : int.MaxValue)
                    .ToDictionary(o => o.Key, o => o.Value);
            paths.Add(path, item);
        }
        doc.Paths = paths;
    }

    /// <summary>Read, then create or change, then delete: list before create, retrieve before update.</summary>
    private static readonly string[] MethodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static int TagIndex(IOpenApiPathItem item, Dictionary<string, int> order) =>
        TagsOf(item).Select(name => order.GetValueOrDefault(name, int.MaxValue)).DefaultIfEmpty(int.MaxValue).Min();

    private static IEnumerable<string> TagsOf(IOpenApiPathItem item) =>
        from operation in item.Operations?.Values.AsEnumerable() ?? []
        from tag in operation.Tags?.AsEnumerable() ?? []
        where tag.Name is not null
        select tag.Name!;
}
