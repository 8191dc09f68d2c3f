using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Http;

/// <summary>
/// Every time an API consumer reads is one form: UTC, three fractional digits, a <c>Z</c>
/// (<c>2026-11-23T21:19:55.791Z</c>), cut to the millisecond so a shown time passed back as a filter
/// still finds (or leaves out) its object. Reading accepts what it always did.
/// </summary>
public sealed partial class TimestampConverterTests(NexusApp<TimestampConverterTests> app) : IClassFixture<NexusApp<TimestampConverterTests>>
{
    /// <summary>A clock reading with more precision than is shown: 7 fractional digits.</summary>
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2029-11-23T21:19:55.7918286Z", CultureInfo.InvariantCulture);
    private const string Shown = "2029-11-23T21:19:55.791Z";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex WireTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d[T ]\d")]
    private static partial Regex LooksLikeTime();

    /// <summary>Routes whose answer carries no time at all: deletion receipts and the endpoint secret.</summary>
    private static readonly HashSet<(string, string)> Timeless =
    [
        ("DELETE", "/api/v1/notes/{id}"), ("DELETE", "/api/v1/customers/{id}"), ("DELETE", "/api/v1/webhook-endpoints/{id}"),
        ("GET", "/api/v1/webhook-endpoints/{id}/secret"),
    ];

    [Theory]
    [MemberData(nameof(ApiRoutes.AllRoutes), MemberType = typeof(ApiRoutes))]
    public async Task Every_route_writes_every_time_in_utc_with_three_fractional_digits(string method, string path)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var targets = await ApiRoutes.SeedAsync(org);
        var (secret, _) = await org.CreateKeyAsync(scopes: [ApiRoutes.ScopeFor(method, path)]);
        using var client = app.CreateClient().WithKey(secret);

        using var response = await client.SendAsync(ApiRoutes.Request(method, path, targets));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        var times = new List<(string Where, string Value)>();
        Collect(body.RootElement, "$", times);
        Assert.All(times, t => Assert.True(WireTime().IsMatch(t.Value), $"{method} {path}: {t.Where} is \"{t.Value}\""));
        if (!Timeless.Contains((method, path))) Assert.NotEmpty(times);
    }

    /// <summary>Every string that looks like a time, and every <c>…_at</c> member that is not null.</summary>
    private static void Collect(JsonElement e, string where, List<(string, string)> times)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name.EndsWith("_at", StringComparison.Ordinal) && p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
                        times.Add(($"{where}.{p.Name}", p.Value.GetRawText()));
                    Collect(p.Value, $"{where}.{p.Name}", times);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Collect(item, $"{where}[{i++}]", times);
                break;
            case JsonValueKind.String when LooksLikeTime().IsMatch(e.GetString()!):
                times.Add((where, e.GetString()!));
                break;
        }
    }

    [Fact]
    public async Task Notes_of_both_versions_and_customers_show_the_clock_cut_to_the_millisecond()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var client = await org.ClientWithKeyAsync(host.CreateClient());

        var v1 = await ApiAssert.OkAsync(await client.PostJsonAsync("/api/v1/notes", """{"title":"Call Alice","body":"b"}"""), HttpStatusCode.Created);
        var v1Id = v1.GetProperty("id").GetString()!;
        var v2 = await ApiAssert.OkAsync(await client.PostJsonAsync("/api/v2/notes", """{"content":"Call Bob"}"""), HttpStatusCode.Created);
        var v2Id = v2.GetProperty("id").GetString()!;
        var customer = await ApiAssert.OkAsync(await client.PostJsonAsync("/api/v1/customers", """{"name":"Jenny Rosen"}"""), HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetString()!;

        Assert.Equal(Shown, v1.GetProperty("created_at").GetString());
        Assert.Equal(Shown, (await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/notes/{v1Id}"))).GetProperty("created_at").GetString());
        Assert.Equal(Shown, Single(await ApiAssert.OkAsync(await client.GetAsync("/api/v1/notes")), v1Id).GetProperty("created_at").GetString());
        foreach (var note in new[] { v2, await ApiAssert.OkAsync(await client.GetAsync($"/api/v2/notes/{v2Id}")) })
            Assert.Equal((Shown, Shown), (note.GetProperty("created_at").GetString(), note.GetProperty("updated_at").GetString()));
        foreach (var c in new[] { customer, await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/customers/{customerId}")) })
            Assert.Equal((Shown, Shown), (c.GetProperty("created_at").GetString(), c.GetProperty("updated_at").GetString()));
    }

    [Fact]
    public async Task Keys_show_their_times_cut_to_the_millisecond_and_optional_ones_stay_null()
    {
        await using var host = Host();
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(host.CreateClient());

        // An expiry given with an offset and 7 fractional digits is stored whole and shown in UTC to the millisecond.
        var created = await ApiAssert.OkAsync(await admin.PostJsonAsync("/api/v1/keys",
            """{"name":"Server","expires_at":"2030-01-01T02:00:00.1234567+02:00"}"""), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(Shown, created.GetProperty("created_at").GetString());
        Assert.Equal("2030-01-01T00:00:00.123Z", created.GetProperty("expires_at").GetString());
        foreach (var optional in new[] { "last_used_at", "revoked_at", "grace_ends_at" })
            Assert.Equal(JsonValueKind.Null, created.GetProperty(optional).ValueKind);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), (await org.LoadKeyAsync(id))!.ExpiresAt);

        var got = await ApiAssert.OkAsync(await admin.GetAsync($"/api/v1/keys/{id}"));
        Assert.Equal((Shown, "2030-01-01T00:00:00.123Z"), (got.GetProperty("created_at").GetString(), got.GetProperty("expires_at").GetString()));

        var rolled = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{id}/roll", """{"grace_period_minutes":60}"""), HttpStatusCode.Created);
        Assert.Equal("2029-11-23T22:19:55.791Z", rolled.GetProperty("previous_key").GetProperty("grace_ends_at").GetString());

        var revoked = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{id}/revoke", null));
        Assert.Equal(Shown, revoked.GetProperty("revoked_at").GetString());
        var again = await ApiAssert.ErrorAsync(await admin.PostAsync($"/api/v1/keys/{id}/revoke", null), HttpStatusCode.Conflict, "key_already_revoked");
        Assert.Equal($"The key {id} was already revoked at {Shown}.", again.GetProperty("message").GetString());

        // The audit log quotes times the same way, and so does the data of key events.
        var audit = await ApiAssert.OkAsync(await admin.GetAsync("/api/v1/audit-log"));
        var changes = audit.GetProperty("data").EnumerateArray().SelectMany(e => e.GetProperty("changes").EnumerateArray())
            .Select(c => (c.GetProperty("field").GetString(), c.GetProperty("after").GetString())).ToList();
        Assert.Contains(("expires_at", "2030-01-01T00:00:00.123Z"), changes);
        Assert.Contains(("grace_ends_at", "2029-11-23T22:19:55.791Z"), changes);
        var events = await org.EventsAsync();
        using var rolledEvent = JsonDocument.Parse(events.Single(e => e.Type == EventCatalog.KeyRolled).Payload);
        using var revokedEvent = JsonDocument.Parse(events.Single(e => e.Type == EventCatalog.KeyRevoked).Payload);
        Assert.Equal("2029-11-23T22:19:55.791Z", rolledEvent.RootElement.GetProperty("data").GetProperty("grace_ends_at").GetString());
        Assert.Equal(Shown, revokedEvent.RootElement.GetProperty("data").GetProperty("revoked_at").GetString());
        Assert.Equal(Shown, revokedEvent.RootElement.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task A_shown_time_passed_back_as_created_gte_finds_its_object_and_as_created_lt_leaves_it_out()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (secret, key) = await org.CreateKeyAsync(scopes: [KeyScopes.ReadLogs, KeyScopes.ReadEvents]);
        using var client = app.CreateClient().WithKey(secret);
        var log = new RequestLog
        {
            Id = Ids.New("req", new TestClock(At)), OrgId = org.Org.Id, Mode = Mode.Test, KeyId = key.Id, KeyPrefix = key.Prefix, At = At,
            Method = "GET", Route = "/api/v2/notes", Path = "/api/v2/notes", Status = 200,
        };
        WebhookEvent evt;
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(log);
            evt = await EventOutbox.PublishAsync(session, org.Org.Id, Mode.Test, "custom.ping", "{}", null, new TestClock(At), CancellationToken.None);
            await session.SaveChangesAsync();
        }

        async Task<List<string>> IdsAsync(string url) => KeyData.Ids(await ApiAssert.OkAsync(await client.GetAsync(url)));

        foreach (var (list, id) in new[] { ("/api/v1/request-logs", log.Id), ("/api/v1/events", evt.Id) })
        {
            var shown = Single(await ApiAssert.OkAsync(await client.GetAsync(list)), id).GetProperty("created_at").GetString()!;
            Assert.Equal(Shown, shown);
            Assert.Contains(id, await IdsAsync($"{list}?created_gte={Uri.EscapeDataString(shown)}"));
            Assert.DoesNotContain(id, await IdsAsync($"{list}?created_lt={Uri.EscapeDataString(shown)}"));
            Assert.Contains(id, await IdsAsync($"{list}?created_lt={Uri.EscapeDataString("2029-11-23T21:19:55.792Z")}"));
        }
    }

    private sealed record Stamped(DateTimeOffset At, DateTimeOffset? Maybe, DateTime Plain);

    [Theory]
    [InlineData("2026-11-23T21:19:55.7918286+00:00")]
    [InlineData("2026-11-24T01:19:55.7918286+04:00")]
    [InlineData("2026-11-23T21:19:55.791Z")]
    [InlineData("2026-11-23T21:19:55Z")]
    [InlineData("2026-11-23T21:19:55")]
    [InlineData("2026-11-23T21:19")]
    [InlineData("2026-11-23")]
    public void Reading_a_time_accepts_what_system_text_json_accepts_and_reads_it_the_same(string text)
    {
        var json = $$"""{"at":"{{text}}","maybe":"{{text}}","plain":"{{text}}"}""";
        var builtIn = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        var expected = JsonSerializer.Deserialize<Stamped>(json, builtIn)!;
        var read = JsonSerializer.Deserialize<Stamped>(json, NexusJson.Options)!;

        // Offsets and kinds too, not only the instant (DateTimeOffset's equality compares instants).
        Assert.Equal((expected.At.DateTime, expected.At.Offset, expected.Maybe?.DateTime, expected.Maybe?.Offset, expected.Plain, expected.Plain.Kind),
            (read.At.DateTime, read.At.Offset, read.Maybe?.DateTime, read.Maybe?.Offset, read.Plain, read.Plain.Kind));
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("11/23/2026")]
    [InlineData("2026-11-23T21:19:55.7918286+00:00 ")]
    public void A_time_system_text_json_refuses_is_still_refused(string text)
    {
        var json = $$"""{"at":"{{text}}","maybe":null,"plain":"2026-11-23"}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Stamped>(json, NexusJson.Options));
    }

    [Fact]
    public void Nullable_times_and_times_as_dictionary_keys_are_written_and_read_alike()
    {
        var keyed = new Dictionary<DateTimeOffset, DateTimeOffset?> { [At] = At, [At.AddDays(1)] = null };

        var json = JsonSerializer.Serialize(keyed, NexusJson.Options);

        Assert.Equal($$"""{"{{Shown}}":"{{Shown}}","2029-11-24T21:19:55.791Z":null}""", json);
        var back = JsonSerializer.Deserialize<Dictionary<DateTimeOffset, DateTimeOffset?>>(
            """{"2029-11-23T21:19:55.7918286+00:00":"2029-11-23T21:19:55.7918286+00:00"}""", NexusJson.Options)!;
        Assert.Equal(At, Assert.Single(back).Key);
        Assert.Equal(At, back[At]);
    }

    private static JsonElement Single(JsonElement page, string id) =>
        page.GetProperty("data").EnumerateArray().Single(o => o.GetProperty("id").GetString() == id);

    private WebApplicationFactory<Program> Host() =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new TestClock(At))));
}
