using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.Notes.V2;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api.Notes;

/// <summary>
/// The <c>note.*</c> events every notes write emits (<see cref="ObjectEvents"/>). <c>data</c> is the
/// note as API v2 shows it, whichever version made the change; a note may hold 50,000 characters,
/// more than a payload carries once encoded, so its content is what a too-large event leaves out.
/// </summary>
public static class NoteEvents
{
    /// <summary>Adds the event to <paramref name="session"/>; the caller's <c>SaveChangesAsync</c> commits it with the note.</summary>
    public static Task<WebhookEvent> PublishAsync(IDocumentSession session, TimeProvider clock, string type, Note note,
        string? requestId, CancellationToken ct) =>
        ObjectEvents.PublishAsync(session, note.OrgId, note.Mode, type, Snapshot(note), before: null, "content", requestId, clock, ct);

    /// <summary><c>note.updated</c>, with <c>previous_attributes</c> from <paramref name="before"/> (<see cref="Snapshot"/> taken before the change).</summary>
    public static Task<WebhookEvent> PublishUpdateAsync(IDocumentSession session, TimeProvider clock, Note note, JsonObject before,
        string? requestId, CancellationToken ct) =>
        ObjectEvents.PublishAsync(session, note.OrgId, note.Mode, EventCatalog.NoteUpdated, Snapshot(note), before, "content", requestId, clock, ct);

    /// <summary>The note as an event's <c>data</c> shows it.</summary>
    public static JsonObject Snapshot(Note note) => JsonSerializer.SerializeToNode(NoteV2.From(note), NexusJson.Options)!.AsObject();
}
