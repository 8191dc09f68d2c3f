using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Common;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Store;

/// <summary>What a process's start-up does to a schema that already exists: an upgrade must not stop the API.</summary>
public sealed class SchemaStartupTests(WebhookDatabase<SchemaStartupTests> db) : IClassFixture<WebhookDatabase<SchemaStartupTests>>
{
    /// <summary>The index the upgrade tests take away and let start-up build again: the events' list index.</summary>
    private static readonly string Index = ListIndex.Name("mt_doc_webhookevent", "id");

    /// <summary>
    /// Several indexes are written as masks and predicates that Weasel compares with what PostgreSQL
    /// prints back (ListIndex, the custom event types' index). If the two ever stop matching, every
    /// start-up would drop and rebuild those indexes.
    /// </summary>
    [Fact]
    public async Task A_start_up_after_the_schema_is_made_finds_nothing_to_change()
    {
        await using var services = NewStore();
        var migration = await services.GetRequiredService<IDocumentStore>().Storage.Database.CreateMigrationAsync();

        var changed = migration.Deltas.Where(d => d.Difference != Weasel.Core.SchemaPatchDifference.None)
            .Select(d => $"{d.SchemaObject.Identifier}: {d.Difference}");
        Assert.Empty(changed);
    }

    /// <summary>
    /// An upgrade that adds an index to a table with rows builds it concurrently. A plain CREATE INDEX
    /// waits for the writes in progress and makes every later write wait for the whole build behind
    /// it: on a large event or request-log table, minutes in which the API cannot write.
    /// </summary>
    [Fact]
    public async Task An_index_added_to_a_table_with_rows_is_built_while_writes_go_on()
    {
        var events = Enumerable.Range(0, 100).Select(_ => new WebhookEvent
        {
            Id = Ids.New(WebhookEvent.IdPrefix), OrgId = "org_upgrade", Mode = Mode.Live, Type = EventCatalog.NoteCreated, CreatedAt = DateTimeOffset.UtcNow, Payload = "{}",
        }).ToList();
        await db.Store.BulkInsertDocumentsAsync(events);
        // As an earlier build left the table, less its old org index: dropping that one is quick, the
        // build is what takes long.
        await db.ScalarAsync($"drop index {Index}");

        // A write in progress when the new build starts.
        await using var inProgress = await OpenAsync();
        await using var transaction = await inProgress.BeginTransactionAsync();
        await ExecuteAsync(inProgress, $"update mt_doc_webhookevent set data = data where id = '{events[0].Id}'", transaction);

        await using var services = NewStore();
        var startUp = Task.Run(() => StartUpAsync(services));
        await WaitUntilTheIndexBuildWaitsAsync(startUp);

        // A write made now goes through while the build waits for the one in progress; behind a plain
        // CREATE INDEX's lock it would wait too, and give up after the lock timeout.
        await using (var writer = await OpenAsync())
        {
            await ExecuteAsync(writer, "set lock_timeout = '3s'");
            await ExecuteAsync(writer, $"update mt_doc_webhookevent set data = data where id = '{events[1].Id}'");
        }

        await transaction.CommitAsync();
        await startUp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(true, await db.ScalarAsync($"select indisvalid from pg_index where indexrelid = '{Index}'::regclass"));
    }

    /// <summary>
    /// The web and the worker process start together (make run, a deploy), and both bring the schema
    /// up to date (SchemaOnStartup). The second must wait for the first one's index build rather than
    /// find the index half built, drop it and build it again.
    /// </summary>
    [Fact]
    public async Task Two_processes_starting_together_both_come_up_and_the_index_is_built_once()
    {
        await db.ScalarAsync($"drop index if exists {Index}");
        await using var inProgress = await OpenAsync();
        await using var transaction = await inProgress.BeginTransactionAsync();
        await ExecuteAsync(inProgress, "update mt_doc_webhookevent set data = data where id in (select id from mt_doc_webhookevent limit 1)", transaction);

        await using var first = NewStore();
        await using var second = NewStore();
        var firstUp = Task.Run(() => StartUpAsync(first));
        await WaitUntilTheIndexBuildWaitsAsync(firstUp);
        var built = await IndexOidAsync();
        // The second finds the lock taken, again and again, while the first's build waits: time in
        // which a second that went ahead would have found the index half built and replaced it.
        var (tries, triedThrice) = (0, new TaskCompletionSource());
        var secondUp = Task.Run(() => StartUpAsync(second, () => { if (Interlocked.Increment(ref tries) == 3) triedThrice.TrySetResult(); }));
        await triedThrice.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(secondUp.IsCompleted);

        await transaction.CommitAsync();
        await Task.WhenAll(firstUp, secondUp).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(built, await IndexOidAsync());
        Assert.Equal(true, await db.ScalarAsync($"select indisvalid from pg_index where indexrelid = '{Index}'::regclass"));
    }

    private static Task StartUpAsync(ServiceProvider services, Action? waiting = null) =>
        SchemaOnStartup.ApplyAsync(services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None, waiting);

    private async Task<object?> IndexOidAsync() => await db.ScalarAsync($"select '{Index}'::regclass::oid");

    private async Task WaitUntilTheIndexBuildWaitsAsync(Task startUp)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (startUp.IsCompleted) await startUp; // surfaces a failure, else the build did not wait: fail below
            var waiting = (long)(await db.ScalarAsync($"""
                select count(*) from pg_stat_activity
                where wait_event_type = 'Lock' and query ilike '%create index%{Index}%'
                """))!;
            if (waiting > 0) return;
            Assert.True(DateTime.UtcNow < until && !startUp.IsCompleted, "the start-up never built the index behind the write in progress");
            await Task.Delay(50);
        }
    }

    private ServiceProvider NewStore() =>
        new ServiceCollection().AddNexusStore(WebhookDatabase<SchemaStartupTests>.ConnectionString, db.Schema).BuildServiceProvider();

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(WebhookDatabase<SchemaStartupTests>.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"set search_path to \"{db.Schema}\"");
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, transaction);
        await cmd.ExecuteNonQueryAsync();
    }
}
