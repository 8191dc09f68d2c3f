using System.Buffers;
using Nexus.Web.Infrastructure.Docs;
using Nexus.Shared.Keys;
using FastEndpoints;
using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Notes.V2.Create;

public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, NoteV2>
{
    public override void Configure()
    {
        Post("/notes");
        Scopes(KeyScopes.WriteNotes);
        Group<ApiV2Group>();
        Summary(s =>
        {
            s.Summary = "Create a note";
            s.Description = "Creates a note in the key's org and mode (a test key creates a test-mode note).";
            s.ExampleRequest = new Request { Content = "Call Alice\nAbout the Q3 invoice.", Tags = ["billing", "q3"] };
            s.ResponseExamples[201] = NoteV2.Example;
        });
        Description(b => b.WithTags(ApiTags.Notes).Produces<NoteV2>(201).Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var now = clock.GetUtcNow();
        var content = req.Content!;
        var note = new Note
        {
            Id = Ids.New(NoteLookup.IdPrefix, clock),
            OrgId = caller.OrgId,
            Mode = caller.Mode,
            Title = string.IsNullOrWhiteSpace(req.Title) ? FirstLine(content) : req.Title.Trim(),
            Body = content,
            Tags = (req.Tags ?? []).Distinct().ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Store(note);
        await NoteEvents.PublishAsync(session, clock, EventCatalog.NoteCreated, note, HttpContext.TraceIdentifier, ct);
        await session.SaveChangesAsync(ct);
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = note.Id }, NoteV2.From(note), verb: FastEndpoints.Http.GET, cancellation: ct);
    }

    /// <summary>
    /// The first line of the content, as a title must be (<see cref="OneLine"/>): it ends at any line
    /// break, and a tab or other control character within it reads as a space.
    /// </summary>
    private static string FirstLine(string content)
    {
        var line = content.AsSpan().TrimStart();
        var end = line.IndexOfAny(LineBreaks);
        if (end >= 0) line = line[..end];
        line = line.Trim();
        var title = line[..Math.Min(line.Length, NoteLimits.TitleMax)].ToArray();
        for (var i = 0; i < title.Length; i++)
            if (char.IsControl(title[i])) title[i] = ' ';
        return new string(title);
    }

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\v\f\u0085\u2028\u2029");
}
