using System.Net.Http.Headers;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.Notes;

namespace Nexus.Web.Tests.Support;

/// <summary>Notes stored straight into Marten, and what a test reads back from it.</summary>
public static class NoteData
{
    public static async Task<Note> StoreNoteAsync(this TestOrg org, Mode mode = Mode.Test, string title = "Stored note",
        string body = "Stored body", params string[] tags)
    {
        var notes = await org.StoreNotesAsync(1, mode, title, body, tags);
        return notes[0];
    }

    /// <summary>Stores <paramref name="count"/> notes in one session; ids are distinct and time-ordered.</summary>
    public static async Task<List<Note>> StoreNotesAsync(this TestOrg org, int count, Mode mode = Mode.Test,
        string title = "Stored note", string body = "Stored body", params string[] tags)
    {
        var now = DateTimeOffset.UtcNow;
        var notes = Enumerable.Range(0, count).Select(i => new Note
        {
            Id = Ids.New("note"), OrgId = org.Org.Id, Mode = mode, Title = count == 1 ? title : $"{title} {i}",
            Body = body, Tags = [.. tags], CreatedAt = now, UpdatedAt = now,
        }).ToList();
        await using var session = org.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(notes.ToArray());
        await session.SaveChangesAsync();
        return notes;
    }

    public static async Task<Note?> LoadNoteAsync(this TestOrg org, string id)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<Note>(id);
    }

    /// <summary>Every note the org has, in any mode: "nothing stored" means this did not change.</summary>
    public static async Task<int> CountNotesAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<Note>().CountAsync(n => n.OrgId == org.Org.Id);
    }

    /// <summary>A refused request stored nothing and changed nothing: the org still has exactly its one note, as it was.</summary>
    public static async Task AssertUnchangedAsync(this TestOrg org, Note note)
    {
        Assert.Equal(1, await org.CountNotesAsync());
        var after = await org.LoadNoteAsync(note.Id);
        Assert.NotNull(after);
        Assert.Equal(note.Title, after.Title);
        Assert.Equal(note.Body, after.Body);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static HttpClient WithKey(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
