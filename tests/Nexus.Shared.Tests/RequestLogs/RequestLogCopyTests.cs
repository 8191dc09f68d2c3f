using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Usage;

namespace Nexus.Shared.Tests.RequestLogs;

/// <summary>
/// The request-log writer's COPY writes Marten's rows by hand (see <see cref="RequestLogCopy"/>):
/// these tests hold it to what Marten itself would write, and to leaving the pooled connection as
/// it found it.
/// </summary>
public sealed class RequestLogCopyTests(WebhookDatabase<RequestLogCopyTests> db) : IClassFixture<WebhookDatabase<RequestLogCopyTests>>
{
    private NpgsqlDataSource DataSource => db.Services.GetRequiredService<NpgsqlDataSource>();

    [Theory]
    [InlineData(RequestLogCopy.LogTable)]
    [InlineData(RequestLogCopy.IncrementTable)]
    public async Task The_copy_fills_every_column_marten_maps(string table)
    {
        var columns = (string?)await db.ScalarAsync(
            $"select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_schema = '{db.Schema}' and table_name = '{table}'");

        var copied = table == RequestLogCopy.LogTable ? RequestLogCopy.LogColumns : RequestLogCopy.IncrementColumns;
        Assert.Equal(string.Join(",", copied), columns);
    }

    [Fact]
    public async Task A_copied_log_is_the_row_martens_bulk_insert_writes()
    {
        var copied = Log(Ids.New("org"));
        var inserted = Log(copied.OrgId);
        inserted.Id = Ids.New("req");

        await RequestLogCopy.WriteAsync(db.Store, DataSource, [copied], default);
        await db.Store.BulkInsertDocumentsAsync([inserted]);

        var rows = await RowsAsync($"select data - 'Id', org_id, at from mt_doc_requestlog where id in ('{copied.Id}', '{inserted.Id}') order by id = '{copied.Id}'");
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
        await using var session = db.Store.QuerySession();
        var loaded = await session.LoadAsync<RequestLog>(copied.Id);
        Assert.Equal(db.Store.Options.Serializer().ToJson(copied), db.Store.Options.Serializer().ToJson(loaded!));
    }

    [Fact]
    public async Task A_batch_is_written_with_the_usage_it_adds()
    {
        var orgId = Ids.New("org");
        var logs = Enumerable.Range(0, 250).Select(_ => Log(orgId)).ToList();

        await RequestLogCopy.WriteAsync(db.Store, DataSource, logs, default);

        await using var session = db.Store.QuerySession();
        Assert.Equal(250, await session.Query<RequestLog>().CountAsync(l => l.OrgId == orgId));
        var increments = await session.Query<UsageIncrement>().Where(i => i.Counts.OrgId == orgId).ToListAsync();
        Assert.Equal(250, increments.Sum(i => i.Counts.Requests));
        Assert.Equal(250, increments.Sum(i => i.Counts.ClientErrors));
    }

    [Fact]
    public async Task The_asynchronous_commit_ends_with_the_batch()
    {
        // One pooled connection that is not reset when returned, as the app's pool is: the batch's
        // connection is the next borrower's.
        var settings = new NpgsqlConnectionStringBuilder(WebhookDatabase<RequestLogCopyTests>.ConnectionString) { MaxPoolSize = 1, NoResetOnClose = true };
        await using var single = NpgsqlDataSource.Create(settings.ConnectionString);

        await RequestLogCopy.WriteAsync(db.Store, single, [Log(Ids.New("org"))], default);

        await using var conn = await single.OpenConnectionAsync();
        await using var show = new NpgsqlCommand("show synchronous_commit", conn);
        Assert.Equal("on", await show.ExecuteScalarAsync());
    }

    private static RequestLog Log(string orgId) => new()
    {
        Id = Ids.New("req"),
        OrgId = orgId,
        Mode = Mode.Test,
        KeyId = "key_1",
        KeyPrefix = "nx_test_AbC",
        // Below a microsecond too: the at column keeps microseconds, the document every tick.
        At = new DateTimeOffset(2026, 11, 25, 13, 45, 12, TimeSpan.Zero).AddTicks(1_234_567),
        Method = "POST",
        Route = "/api/v1/notes",
        Path = "/api/v1/notes?x=\"quoted\"",
        Status = 422,
        LatencyMs = 3.25,
        Ip = "203.0.113.9",
        UserAgent = "acme/1.0 (ünïcode)",
        ErrorCode = "validation_failed",
    };

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var conn = await DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"set search_path to \"{db.Schema}\"; {sql}", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) is DateTime t ? t.ToString("O") : reader.GetValue(i).ToString())));
        return rows;
    }
}
