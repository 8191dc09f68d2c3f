using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

/// <summary>
/// The deliveries page offers the custom event types an org has sent. Reading them must cost about
/// the number of types, not the number of events: grouping the window's events read all of them on
/// every page load.
/// </summary>
public sealed class CustomEventTypesTests(WebhookDatabase<CustomEventTypesTests> db) : IClassFixture<WebhookDatabase<CustomEventTypesTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_types_sent_in_the_window_come_most_recent_first_read_off_a_few_index_entries_per_type()
    {
        var (org, other) = (Ids.New("org"), Ids.New("org"));
        var events = new List<WebhookEvent>();
        void Sent(string orgId, Mode mode, string type, DateTimeOffset at, int count = 1) =>
            events.AddRange(Enumerable.Range(0, count).Select(i => new WebhookEvent
            {
                Id = Ids.New(WebhookEvent.IdPrefix), OrgId = orgId, Mode = mode, Type = type, CreatedAt = at.AddSeconds(-i), Payload = "{}",
            }));
        Sent(org, Mode.Live, EventCatalog.NoteCreated, Now.AddHours(-1), 3_000);
        Sent(org, Mode.Live, "custom.order.shipped", Now.AddDays(-3), 400);
        Sent(org, Mode.Live, "custom.invoice.paid", Now.AddDays(-1), 400);
        Sent(org, Mode.Live, "custom.user.signed_up", Now.AddMinutes(-5), 400);
        Sent(org, Mode.Live, "custom.long.ago", Now - CustomEventTypes.Window - TimeSpan.FromDays(1), 400);
        Sent(org, Mode.Test, "custom.test.only", Now.AddMinutes(-1));
        Sent(other, Mode.Live, "custom.theirs", Now.AddMinutes(-1));
        await db.Store.BulkInsertDocumentsAsync(events);
        await db.ScalarAsync("analyze mt_doc_webhookevent");

        await using var session = db.Store.QuerySession();
        var types = await CustomEventTypes.LoadAsync(session, org, Mode.Live, new ManualClock(Now), CancellationToken.None);

        Assert.Equal(["custom.user.signed_up", "custom.invoice.paid", "custom.order.shipped"], types);
        var plan = (await session.AdvancedSql.QueryAsync<string>("explain (analyze, format json) " + CustomEventTypes.Sql(db.Store),
            CancellationToken.None, CustomEventTypes.Parameters(org, Mode.Live, Now))).Single();
        using var json = System.Text.Json.JsonDocument.Parse(plan);
        // About two index entries per type (the next name; the newest in the window), where grouping
        // the window's events read all 4,200 of the org's live events.
        Assert.InRange(QueryPlans.RowsRead(json.RootElement[0].GetProperty("Plan"), "mt_doc_webhookevent"), 4, 20);
    }
}
