using System.Text.Json;
using Marten;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Api.Notes.V2;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Api.Notes;

/// <summary>
/// The <c>note.*</c> events every notes write emits, added to the write's own session (the outbox)
/// so the event and its deliveries commit with the change or not at all. <c>data</c> is the note
/// as API v2 shows it, whichever version made the change.
/// </summary>
public static class NoteEvents
{
    /// <summary>Adds the event to <paramref name="session"/>; the caller's <c>SaveChangesAsync</c> commits it with the note.</summary>
    public static async Task<WebhookEvent> PublishAsync(IDocumentSession session, TimeProvider clock, string type, Note note,
        string? requestId, CancellationToken ct)
    {
        var data = JsonSerializer.SerializeToNode(NoteV2.From(note), NexusJson.Options)!.AsObject();
        if (type == EventCatalog.NoteDeleted) data["deleted"] = true;
        try
        {
            return await EventOutbox.PublishAsync(session, note.OrgId, note.Mode, type, data.ToJsonString(NexusJson.Options), requestId, clock, ct);
        }
        catch (PayloadTooLargeException)
        {
            // A note may hold 50,000 characters, more than a 64 KB payload carries once encoded. The write
            // must not fail for it: the event goes out without the content, and says so, for the receiver to fetch it.
            data["content"] = null;
            data["content_omitted"] = true;
            return await EventOutbox.PublishAsync(session, note.OrgId, note.Mode, type, data.ToJsonString(NexusJson.Options), requestId, clock, ct);
        }
    }
}
