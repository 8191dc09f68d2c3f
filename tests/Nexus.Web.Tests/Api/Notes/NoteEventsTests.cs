using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;
using Create = Nexus.Web.Api.Notes.V1.Create;

namespace Nexus.Web.Tests.Api.Notes;

/// <summary>
/// Notes writes emit <c>note.*</c> events through the transactional outbox: the event and its
/// deliveries commit with the note or not at all, and go only where they should.
/// </summary>
public sealed class NoteEventsTests(NexusApp<NoteEventsTests> app) : IClassFixture<NexusApp<NoteEventsTests>>
{
    [Fact]
    public async Task A_note_write_queues_exactly_one_delivery_per_subscribed_enabled_endpoint_of_its_org_and_mode()
    {
        var (org, client) = await SetupAsync();
        var (all, _) = await org.CreateEndpointAsync();
        var (created, _) = await org.CreateEndpointAsync(types: [EventCatalog.NoteCreated]);
        await org.CreateEndpointAsync(types: [EventCatalog.NoteDeleted, "custom.x"]);
        await org.CreateEndpointAsync(enabled: false);
        await org.CreateEndpointAsync(Mode.Live);
        var other = await app.CreateOrgAsync("Other");
        await other.CreateEndpointAsync();

        var response = await client.PostAsync("/api/v1/notes", NoteData.Json("""{"title":"Call Alice","body":"About the invoice."}"""));

        var note = await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var evt = Assert.Single(await org.EventsAsync());
        Assert.Equal((EventCatalog.NoteCreated, Mode.Test, ApiAssert.RequestId(response), 2), (evt.Type, evt.Mode, evt.RequestId, evt.EndpointCount));
        var deliveries = await org.DeliveriesAsync();
        Assert.Equal(new[] { all.Id, created.Id }.Order(), deliveries.Select(d => d.EndpointId).Order());
        Assert.All(deliveries, d => Assert.Equal((evt.Id, Mode.Test, DeliveryStatus.Pending), (d.EventId, d.Mode, d.Status)));
        Assert.Empty(await other.EventsAsync());
        Assert.Empty(await other.DeliveriesAsync());

        using var payload = JsonDocument.Parse(evt.Payload);
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal(["id", "object", "title", "content", "tags", "created_at", "updated_at"], ApiAssert.Names(data));
        Assert.Equal((note.GetProperty("id").GetString(), "note", "About the invoice."),
            (data.GetProperty("id").GetString(), data.GetProperty("object").GetString(), data.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Update_and_delete_emit_note_updated_and_note_deleted_with_the_note()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Before", "Body");

        await ApiAssert.OkAsync(await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json("""{"title":"After","body":"New body"}""")));
        await ApiAssert.OkAsync(await client.DeleteAsync($"/api/v1/notes/{note.Id}"));

        var events = await org.EventsAsync();
        Assert.Equal([EventCatalog.NoteUpdated, EventCatalog.NoteDeleted], events.Select(e => e.Type));
        using var updated = JsonDocument.Parse(events[0].Payload);
        using var deleted = JsonDocument.Parse(events[1].Payload);
        Assert.Equal("After", updated.RootElement.GetProperty("data").GetProperty("title").GetString());
        Assert.False(updated.RootElement.GetProperty("data").TryGetProperty("deleted", out _));
        Assert.True(deleted.RootElement.GetProperty("data").GetProperty("deleted").GetBoolean());
        Assert.Equal(note.Id, deleted.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(2, (await org.DeliveriesAsync()).Count);

        var previous = updated.RootElement.GetProperty("previous_attributes");
        Assert.Equal(["title", "content", "updated_at"], ApiAssert.Names(previous));
        Assert.Equal(("Before", "Body", Timestamps.Format(note.UpdatedAt)),
            (previous.GetProperty("title").GetString(), previous.GetProperty("content").GetString(), previous.GetProperty("updated_at").GetString()));
        Assert.False(deleted.RootElement.TryGetProperty("previous_attributes", out _));
    }

    [Fact]
    public async Task An_update_names_only_the_fields_it_changed_in_previous_attributes()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Same title", "Old body");

        await ApiAssert.OkAsync(await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json("""{"title":"Same title","body":"New body"}""")));

        using var payload = JsonDocument.Parse(Assert.Single(await org.EventsAsync()).Payload);
        Assert.Equal(["id", "type", "created_at", "mode", "data", "previous_attributes"], ApiAssert.Names(payload.RootElement));
        var previous = payload.RootElement.GetProperty("previous_attributes");
        Assert.Equal(["content", "updated_at"], ApiAssert.Names(previous));
        Assert.Equal("Old body", previous.GetProperty("content").GetString());
    }

    [Fact]
    public async Task An_update_too_large_with_its_previous_content_leaves_that_out_first()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();
        // 60,000 bytes before and 40,000 after: either fits a 64 KB payload, both together do not.
        var note = await org.StoreNoteAsync(Mode.Test, "Long", new string('€', 20_000));
        var after = new string('£', 20_000);

        await ApiAssert.OkAsync(await client.PutAsync($"/api/v1/notes/{note.Id}", NoteData.Json($$"""{"title":"Long","body":"{{after}}"}""")));

        var evt = Assert.Single(await org.EventsAsync());
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(evt.Payload) <= EventOutbox.MaxPayloadBytes);
        using var payload = JsonDocument.Parse(evt.Payload);
        Assert.Equal(after, payload.RootElement.GetProperty("data").GetProperty("content").GetString());
        Assert.False(payload.RootElement.GetProperty("data").TryGetProperty("content_omitted", out _));
        var previous = payload.RootElement.GetProperty("previous_attributes");
        Assert.Equal(["content", "updated_at", "content_omitted"], ApiAssert.Names(previous));
        Assert.Equal(JsonValueKind.Null, previous.GetProperty("content").ValueKind);
        Assert.True(previous.GetProperty("content_omitted").GetBoolean());
    }

    [Fact]
    public async Task A_v2_create_emits_note_created_with_its_tags()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();

        await ApiAssert.OkAsync(await client.PostAsync("/api/v2/notes", NoteData.Json("""{"content":"Hello","tags":["a","b"]}""")), HttpStatusCode.Created);

        var evt = Assert.Single(await org.EventsAsync());
        using var payload = JsonDocument.Parse(evt.Payload);
        Assert.Equal(["a", "b"], payload.RootElement.GetProperty("data").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("/api/v1/notes", """{"title":"Call Alice","body":"b"}""")]
    [InlineData("/api/v2/notes", """{"content":"Call Alice"}""")]
    public async Task The_envelope_and_the_note_in_it_write_created_at_in_one_form_the_one_the_api_shows(string path, string body)
    {
        // More precision than is shown: a payload once had 2029-…55.791Z around a note with 2029-…55.7918286+00:00.
        var clock = new TestClock(DateTimeOffset.Parse("2029-11-23T21:19:55.7918286Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var client = await org.ClientWithKeyAsync(host.CreateClient(), scopes: [KeyScopes.WriteNotes, KeyScopes.ReadEvents]);
        await org.CreateEndpointAsync();

        var note = await ApiAssert.OkAsync(await client.PostAsync(path, NoteData.Json(body)), HttpStatusCode.Created);

        var evt = Assert.Single(await org.EventsAsync());
        using var payload = JsonDocument.Parse(evt.Payload);
        var envelope = payload.RootElement.GetProperty("created_at").GetString();
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal("2029-11-23T21:19:55.791Z", envelope);
        Assert.Equal(envelope, data.GetProperty("created_at").GetString());
        Assert.Equal(envelope, data.GetProperty("updated_at").GetString());
        Assert.Equal(envelope, note.GetProperty("created_at").GetString());
        var read = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/events/{evt.Id}"));
        Assert.Equal(envelope, read.GetProperty("created_at").GetString());
        Assert.Equal(data.GetRawText(), read.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task A_refused_note_write_emits_nothing()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();

        await ApiAssert.ErrorAsync(await client.PostAsync("/api/v1/notes", NoteData.Json("""{"title":""}""")), HttpStatusCode.BadRequest, "parameter_missing", "title");
        await ApiAssert.ErrorAsync(await client.DeleteAsync("/api/v1/notes/note_01jd4n6x9m3f8r2k7q5w0y1z3a"), HttpStatusCode.NotFound, "resource_missing", "id");

        Assert.Empty(await org.EventsAsync());
        Assert.Empty(await org.DeliveriesAsync());
    }

    [Fact]
    public async Task A_write_whose_transaction_fails_after_the_event_was_added_leaves_no_note_no_event_and_no_delivery()
    {
        var (org, _) = await SetupAsync();
        await org.CreateEndpointAsync();
        await using var session = app.Store.LightweightSession();
        // A second user with the owner's email breaks the unique index when the transaction commits,
        // after the note's event and delivery were added to the same session.
        session.Store(new User { Id = Ids.New("user"), Email = org.Owner.Email, PasswordHash = "-", SecurityStamp = "x", CreatedAt = DateTimeOffset.UtcNow });

        await Assert.ThrowsAnyAsync<Exception>(() => Create.Endpoint.StoreAsync(session, TimeProvider.System, org.Org.Id, Mode.Test,
            new Create.Request { Title = "Doomed", Body = "Never saved" }, CancellationToken.None, "req_test"));

        Assert.Equal(0, await org.CountNotesAsync());
        Assert.Empty(await org.EventsAsync());
        Assert.Empty(await org.DeliveriesAsync());
    }

    [Fact]
    public async Task A_note_too_large_for_a_payload_is_still_saved_and_its_event_says_the_content_was_left_out()
    {
        var (org, client) = await SetupAsync();
        await org.CreateEndpointAsync();
        // 50,000 three-byte characters: within the note limit, far over the 64 KB payload cap.
        var content = new string('€', 50_000);

        var response = await client.PostAsync("/api/v2/notes", NoteData.Json($$"""{"content":"{{content}}"}"""));

        await ApiAssert.OkAsync(response, HttpStatusCode.Created);
        var evt = Assert.Single(await org.EventsAsync());
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(evt.Payload) <= EventOutbox.MaxPayloadBytes);
        using var payload = JsonDocument.Parse(evt.Payload);
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("content").ValueKind);
        Assert.True(data.GetProperty("content_omitted").GetBoolean());
        Assert.Single(await org.DeliveriesAsync());
    }

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        return (org, await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.WriteNotes]));
    }
}
