using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class EventCatalogTests
{
    [Theory]
    [InlineData("note.created")]
    [InlineData("note.updated")]
    [InlineData("note.deleted")]
    [InlineData("key.created")]
    [InlineData("key.rolled")]
    [InlineData("key.revoked")]
    [InlineData("endpoint.disabled")]
    [InlineData("test.ping")]
    public void Every_catalog_type_is_known_and_has_a_description_and_example(string name)
    {
        Assert.True(EventCatalog.IsKnown(name));
        var type = EventCatalog.Find(name);
        Assert.NotNull(type);
        Assert.NotEmpty(type.Description);
        using var example = System.Text.Json.JsonDocument.Parse(type.ExampleData);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, example.RootElement.ValueKind);
    }

    [Fact]
    public void Exactly_the_updated_types_show_previous_attributes_and_each_names_fields_their_data_has()
    {
        Assert.Equal(["note.updated", "customer.updated"], EventCatalog.All.Where(t => t.ExamplePreviousAttributes is not null).Select(t => t.Name));
        foreach (var type in EventCatalog.All.Where(t => t.ExamplePreviousAttributes is not null))
        {
            using var payload = System.Text.Json.JsonDocument.Parse(type.ExamplePayload());
            var data = payload.RootElement.GetProperty("data");
            var previous = payload.RootElement.GetProperty("previous_attributes");
            Assert.NotEmpty(previous.EnumerateObject());
            foreach (var field in previous.EnumerateObject())
            {
                Assert.True(data.TryGetProperty(field.Name, out var now), $"{type.Name}: {field.Name} is not in data");
                Assert.NotEqual(now.GetRawText(), field.Value.GetRawText());
            }
        }
    }

    [Fact]
    public void An_example_payload_is_the_envelope_around_the_example_data()
    {
        using var payload = System.Text.Json.JsonDocument.Parse(EventCatalog.Find("note.created")!.ExamplePayload());
        Assert.Equal(["id", "type", "created_at", "mode", "data"], payload.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("note.created", payload.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void The_catalog_lists_each_type_once() =>
        Assert.Equal(EventCatalog.All.Count, EventCatalog.All.Select(t => t.Name).Distinct().Count());

    [Theory]
    [InlineData("custom.x")]
    [InlineData("custom.order_paid")]
    [InlineData("custom.billing.invoice.paid")]
    [InlineData("custom.v2.a1_b2")]
    public void Well_formed_custom_names_are_known(string name) => Assert.True(EventCatalog.IsKnown(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("note")]
    [InlineData("note.created ")]
    [InlineData("Note.Created")]
    [InlineData("note.*")]
    [InlineData("*")]
    [InlineData("custom.")]
    [InlineData("custom")]
    [InlineData("custom.Order")]
    [InlineData("custom..x")]
    [InlineData("custom.x.")]
    [InlineData("custom.x-y")]
    [InlineData("custom.x y")]
    [InlineData("custom.x\n")]
    [InlineData("custom.é")]
    [InlineData("xcustom.x")]
    public void Anything_else_is_unknown(string? name) => Assert.False(EventCatalog.IsKnown(name));

    [Fact]
    public void Custom_names_are_capped_at_100_characters()
    {
        var longest = "custom." + new string('a', EventCatalog.MaxTypeLength - "custom.".Length);

        Assert.True(EventCatalog.IsKnown(longest));
        Assert.False(EventCatalog.IsKnown(longest + "a"));
    }
}
