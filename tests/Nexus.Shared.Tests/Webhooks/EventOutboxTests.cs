using System.Text;
using System.Text.Json;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>The payload an event carries (no database: <see cref="EventOutbox.NewEvent"/> is pure).</summary>
public sealed class EventOutboxTests
{
    private static readonly ManualClock Clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero));

    [Fact]
    public void The_payload_is_exactly_id_type_created_at_mode_and_data_in_that_order()
    {
        var evt = EventOutbox.NewEvent("org_1", Mode.Live, "note.created", """{"title":"Call Alice","n":1}""", "req_1", Clock);

        Assert.Equal(
            $$$"""{"id":"{{{evt.Id}}}","type":"note.created","created_at":"2026-11-22T10:00:00.123Z","mode":"live","data":{"title":"Call Alice","n":1}}""",
            evt.Payload);
        Assert.True(Ids.IsWellFormed(evt.Id, WebhookEvent.IdPrefix));
        Assert.Equal(("org_1", Mode.Live, "note.created", Clock.GetUtcNow(), "req_1"), (evt.OrgId, evt.Mode, evt.Type, evt.CreatedAt, evt.RequestId));
    }

    [Fact]
    public void Test_mode_events_say_test_and_the_data_is_kept_byte_for_byte()
    {
        const string data = """{ "spaced" : [1, 2.50, "é<>&"] , "nested":{"a":null} }""";

        var evt = EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", data, null, Clock);

        using var doc = JsonDocument.Parse(evt.Payload);
        Assert.Equal("test", doc.RootElement.GetProperty("mode").GetString());
        Assert.EndsWith($"\"data\":{data}}}", evt.Payload);
        Assert.Equal(["id", "type", "created_at", "mode", "data"], doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Each_event_gets_its_own_id()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => EventOutbox.NewEvent("org_1", Mode.Test, "test.ping", "{}", null, Clock).Id);

        Assert.Equal(100, ids.Distinct().Count());
    }

    [Fact]
    public void A_payload_of_exactly_64_KB_is_accepted_and_one_byte_more_is_refused()
    {
        var overhead = Encoding.UTF8.GetByteCount(EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", "\"\"", null, Clock).Payload);
        var fits = "\"" + new string('a', EventOutbox.MaxPayloadBytes - overhead) + "\"";

        var evt = EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", fits, null, Clock);
        Assert.Equal(EventOutbox.MaxPayloadBytes, Encoding.UTF8.GetByteCount(evt.Payload));

        var error = Assert.Throws<PayloadTooLargeException>(() =>
            EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", "\"a" + fits[1..], null, Clock));
        Assert.Equal(EventOutbox.MaxPayloadBytes + 1, error.Bytes);
    }

    [Fact]
    public void Multibyte_characters_count_as_their_utf8_bytes()
    {
        var data = "\"" + new string('€', EventOutbox.MaxPayloadBytes / 3) + "\""; // 3 bytes each: just under 64 KB of data, over with the envelope

        Assert.Throws<PayloadTooLargeException>(() => EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", data, null, Clock));
    }

    [Fact]
    public void Data_that_is_not_json_is_refused_rather_than_sent_as_a_broken_payload() =>
        Assert.ThrowsAny<JsonException>(() => EventOutbox.NewEvent("org_1", Mode.Test, "custom.x", "{not json", null, Clock));

    [Fact]
    public void The_wake_up_channel_is_per_schema_and_a_valid_identifier()
    {
        Assert.NotEqual(EventOutbox.Channel("a"), EventOutbox.Channel("b"));
        Assert.Equal(EventOutbox.Channel("nexus"), EventOutbox.Channel("nexus"));
        Assert.Matches("^[a-z0-9_]{1,63}$", EventOutbox.Channel("a schema with spaces and \"quotes\""));
    }
}
