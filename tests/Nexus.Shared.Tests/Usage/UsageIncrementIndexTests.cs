using Marten;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Usage;

namespace Nexus.Shared.Tests.Usage;

/// <summary>
/// Usage's "today" (the Usage page, GET /api/v1/usage) adds one org's increments the worker has not
/// folded yet. While no worker runs, every org's increments pile up; reading one org's must not read
/// them all.
/// </summary>
public sealed class UsageIncrementIndexTests(WebhookDatabase<UsageIncrementIndexTests> db) : IClassFixture<WebhookDatabase<UsageIncrementIndexTests>>
{
    [Fact]
    public async Task One_orgs_unfolded_increments_are_read_without_reading_the_others()
    {
        var (org, hour) = (Ids.New("org"), new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var increments = Enumerable.Range(0, 5_000).Select(i => Increment("org_other_" + i % 50, hour))
            .Concat(Enumerable.Range(0, 3).Select(_ => Increment(org, hour))).ToList();
        await db.Store.BulkInsertDocumentsAsync(increments);
        await db.ScalarAsync("analyze mt_doc_usageincrement");

        await using var session = db.Store.QuerySession();
        // As UsageReport asks for them.
        var query = session.Query<UsageIncrement>().Where(i => i.Counts.OrgId == org && i.Counts.Mode == Mode.Live && i.Counts.Hour >= hour.Date);

        Assert.Equal(3, (await query.ToListAsync()).Count);
        Assert.InRange(await QueryPlans.RowsReadAsync(db.Store, query, "mt_doc_usageincrement"), 3, 10);
    }

    private static UsageIncrement Increment(string orgId, DateTimeOffset hour) => new()
    {
        Id = Ids.New("usginc"),
        Counts = new UsageRecord { Id = Ids.New("usg"), OrgId = orgId, Mode = Mode.Live, KeyId = "key_1", Hour = hour, Method = "GET", Route = "/api/v1/notes", Requests = 1 },
    };
}
