using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class SessionCleanupJobTests(WorkerDatabase<SessionCleanupJobTests> db) : IClassFixture<WorkerDatabase<SessionCleanupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Days30 = TimeSpan.FromDays(30);

    [Fact]
    public async Task Sessions_ended_or_last_seen_more_than_30_days_ago_are_deleted_and_the_rest_kept()
    {
        var user = Ids.New("user");
        await StoreAsync(
            Session(user, "seen-31d", seen: Now.AddDays(-31)),
            Session(user, "seen-30d-1s", seen: Now - Days30 - Second),
            Session(user, "seen-30d", seen: Now - Days30),
            Session(user, "seen-8d", seen: Now.AddDays(-8)),
            Session(user, "active", seen: Now.AddMinutes(-1)),
            Session(user, "ended-30d-1s", seen: Now.AddDays(-40), ended: Now - Days30 - Second),
            Session(user, "ended-30d", seen: Now.AddDays(-30), ended: Now - Days30),
            Session(user, "ended-yesterday", seen: Now.AddDays(-2), ended: Now.AddDays(-1)),
            // Unused for long and then ended (a password change ends every other session): it stopped being used when last seen.
            Session(user, "unseen-40d-ended-today", seen: Now.AddDays(-40), ended: Now.AddHours(-1)));

        await RunJobAsync();

        Assert.Equal(["active", "ended-30d", "ended-yesterday", "seen-30d", "seen-8d"], await LeftAsync(user));
    }

    [Fact]
    public async Task A_backlog_larger_than_a_batch_is_deleted_in_one_run()
    {
        var user = Ids.New("user");
        var old = Enumerable.Range(0, SessionCleanupJob.BatchSize * 2 + 3).Select(i => Session(user, $"old-{i}", seen: Now.AddDays(-60)));
        await db.Store.BulkInsertDocumentsAsync(old.Append(Session(user, "active", seen: Now)).ToList());

        await RunJobAsync();

        Assert.Equal(["active"], await LeftAsync(user));
    }

    [Fact]
    public async Task The_delete_uses_the_index_on_when_a_session_stopped_being_used_and_the_schema_stays_as_configured()
    {
        await StoreAsync(Session(Ids.New("user"), "active", seen: Now));
        var table = db.Store.Options.Schema.For<UserSession>();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("set local enable_seqscan = off", conn, tx)) await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand($"""
            explain delete from {table} where id in (select id from {table} where {InactiveSessions.InactiveSince(db.Schema)} < now() limit 10)
            """, conn, tx);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.Contains(plan, line => line.Contains(InactiveSessions.IndexName));
        await db.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await db.Store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
    }

    private async Task RunJobAsync()
    {
        var job = new SessionCleanupJob(db.Store, db.DataSource, new FakeTimeProvider(Now), NullLogger<SessionCleanupJob>.Instance);
        await job.Execute(null!, CancellationToken.None);
    }

    /// <summary>A session whose user agent names it, for reading the result.</summary>
    private static UserSession Session(string user, string name, DateTimeOffset seen, DateTimeOffset? ended = null) => new()
    {
        Id = SessionTokens.Hash(SessionTokens.New()), UserId = user, CreatedAt = seen.AddDays(-1), LastSeenAt = seen, EndedAt = ended, UserAgent = name,
    };

    private async Task StoreAsync(params UserSession[] sessions)
    {
        await using var session = db.Store.LightweightSession();
        session.Store(sessions);
        await session.SaveChangesAsync();
    }

    private async Task<string[]> LeftAsync(string user)
    {
        await using var session = db.Store.QuerySession();
        var left = await session.Query<UserSession>().Where(s => s.UserId == user).Select(s => s.UserAgent!).ToListAsync();
        return left.Order(StringComparer.Ordinal).ToArray();
    }
}
