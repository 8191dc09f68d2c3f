using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Common;
using Nexus.Shared.Idempotency;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class IdempotencyCleanupJobTests(WorkerDatabase<IdempotencyCleanupJobTests> db) : IClassFixture<WorkerDatabase<IdempotencyCleanupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Keys_past_their_24_hours_are_deleted_and_younger_ones_kept()
    {
        var keys = new IdempotencyStore(db.Store, db.DataSource);
        foreach (var (key, age) in new[] { ("old", TimeSpan.FromHours(30)), ("just-expired", TimeSpan.FromHours(24)), ("young", TimeSpan.FromHours(23)) })
        {
            var claim = Assert.IsType<IdempotencyClaim.Owned>(await keys.ClaimAsync("org_a", Mode.Test, key, [1], Now - age, TimeSpan.FromSeconds(1), default));
            await using (claim.Claim) await claim.Claim.CompleteAsync(new StoredResponse(201, [], [1, 2, 3]), default);
        }

        await new IdempotencyCleanupJob(keys, new FakeTimeProvider(Now), NullLogger<IdempotencyCleanupJob>.Instance).Execute(null!, default);

        await using var cmd = db.DataSource.CreateCommand($"select key from {db.Schema}.{IdempotencyTable.TableName} order by key");
        var left = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) left.Add(reader.GetString(0));
        Assert.Equal(["young"], left);
        // The kept key still replays.
        Assert.IsType<IdempotencyClaim.Replay>(await keys.ClaimAsync("org_a", Mode.Test, "young", [1], Now, TimeSpan.FromSeconds(1), default));
    }
}
