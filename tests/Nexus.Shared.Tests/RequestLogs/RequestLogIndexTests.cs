using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;

namespace Nexus.Shared.Tests.RequestLogs;

/// <summary>
/// Every API request writes a request log, so the table carries only the indexes its readers
/// need: the primary key, (org_id, mode, at) for an org's logs newest first and for retention (each
/// org's oldest per mode), a BRIN index on at for the usage roll-up, and the failed requests' own
/// index for the 4xx and 5xx filters, partial so that a successful request writes nothing in it.
/// A new index here costs every request.
/// </summary>
public sealed class RequestLogIndexTests(WebhookDatabase<RequestLogIndexTests> db) : IClassFixture<WebhookDatabase<RequestLogIndexTests>>
{
    [Fact]
    public async Task The_request_log_table_has_exactly_the_four_indexes_its_readers_use()
    {
        var indexes = (string)(await db.ScalarAsync($"""
            select string_agg(def, ' | ' order by def) from (
                select regexp_replace(indexdef, '^.* USING ', '') as def
                from pg_indexes where schemaname = '{db.Schema}' and tablename = 'mt_doc_requestlog') d
            """))!;

        Assert.Equal("brin (at) | btree (id) | btree (org_id, ((data ->> 'Mode'::text)), ((((data ->> 'Status'::text))::integer / 100)), at, id) "
            + "WHERE (((data ->> 'Status'::text))::integer >= 400) | btree (org_id, ((data ->> 'Mode'::text)), at)", indexes);
    }

    [Fact]
    public async Task A_request_log_row_is_its_id_document_org_and_time_and_nothing_else()
    {
        Assert.Equal("at, data, id, org_id", await ColumnsAsync());
    }

    [Fact]
    public async Task A_table_made_by_the_earlier_schema_still_takes_bulk_inserts_after_start_up()
    {
        // As the table was before: with Marten's informational columns.
        await db.ScalarAsync($"""
            alter table mt_doc_requestlog add column if not exists mt_last_modified timestamptz default transaction_timestamp(),
                add column if not exists mt_version uuid not null default (md5(random()::text || clock_timestamp()::text)::uuid),
                add column if not exists mt_dotnet_type varchar
            """);

        await using var services = new ServiceCollection().AddNexusStore(WebhookDatabase<RequestLogIndexTests>.ConnectionString, db.Schema).BuildServiceProvider();
        var store = services.GetRequiredService<IDocumentStore>();
        await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await store.BulkInsertDocumentsAsync([new RequestLog { Id = Ids.New("req"), OrgId = "org_upgrade", At = DateTimeOffset.UtcNow, Method = "GET", Path = "/api/v1/notes", Status = 200 }]);

        Assert.Equal(1L, await db.ScalarAsync("select count(*) from mt_doc_requestlog where org_id = 'org_upgrade'"));
    }

    [Fact]
    public async Task Start_up_keeps_the_request_logs_statistics_coarse_and_off_its_document()
    {
        await db.ScalarAsync("alter table mt_doc_requestlog alter column data set statistics -1, alter column org_id set statistics -1");
        await using var services = new ServiceCollection()
            .AddLogging().AddSingleton(TimeProvider.System)
            .AddNexusStore(WebhookDatabase<RequestLogIndexTests>.ConnectionString, db.Schema).BuildServiceProvider();

        // What every web and worker process runs before it serves anything.
        foreach (var hosted in services.GetServices<IHostedService>().OfType<SchemaOnStartup>())
            await hosted.StartAsync(CancellationToken.None);

        var targets = (string)(await db.ScalarAsync($"""
            select string_agg(attname || '=' || coalesce(attstattarget, -1), ', ' order by attname) from pg_attribute
            where attrelid = '{db.Schema}.mt_doc_requestlog'::regclass and attnum > 0 and not attisdropped
            """))!;
        Assert.Equal($"at={RequestLogStatistics.CoarseTarget}, data=0, id=0, org_id={RequestLogStatistics.CoarseTarget}", targets);
        // The list index's mode expression has statistics of its own, and the largest target sets ANALYZE's sample.
        Assert.Equal(RequestLogStatistics.CoarseTarget, Convert.ToInt32(await db.ScalarAsync($"""
            select attstattarget from pg_attribute
            where attrelid = '{db.Schema}.{RequestLogStatistics.ListIndexName}'::regclass and attnum = 2
            """)));
        // So do the failed requests' index's mode and status class.
        Assert.Equal($"2={RequestLogStatistics.CoarseTarget}, 3={RequestLogStatistics.CoarseTarget}", await db.ScalarAsync($"""
            select string_agg(attnum || '=' || attstattarget, ', ' order by attnum) from pg_attribute
            where attrelid = '{db.Schema}.{RequestLogErrors.Name}'::regclass and attnum in (2, 3)
            """));
        // The one expression the planner needs estimates for: the mode lists filter on, built already.
        Assert.Equal($"{{\"(data ->> 'Mode'::text)\"}} {RequestLogStatistics.CoarseTarget} true", await db.ScalarAsync($"""
            select pg_get_statisticsobjdef_expressions(e.oid)::text || ' ' || e.stxstattarget || ' ' ||
                exists (select 1 from pg_statistic_ext_data d where d.stxoid = e.oid)
            from pg_statistic_ext e where e.stxname = '{RequestLogStatistics.ModeStatistics}' and e.stxnamespace = '{db.Schema}'::regnamespace
            """));
    }

    /// <summary>
    /// A page of an org's logs walks (org_id, mode, at) newest first and stops: it reads its own rows,
    /// whatever the org keeps. Ordered by id, or with the planner guessing how many rows are in
    /// the mode, it read and sorted every log the org has.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_page_of_an_orgs_logs_reads_that_page_not_all_the_orgs_logs(bool afterCursor)
    {
        var (org, other) = (Ids.New("org"), Ids.New("org"));
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var logs = Enumerable.Range(0, 5_000).SelectMany(i => new[] { org, other }.Select(o => new RequestLog
        {
            Id = Ids.New("req"), OrgId = o, Mode = Mode.Live, At = start.AddSeconds(i), Method = "GET", Path = "/api/v1/notes", Status = 200,
        })).ToList();
        await db.Store.BulkInsertDocumentsAsync(logs);
        await using (var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System)
            .AddNexusStore(WebhookDatabase<RequestLogIndexTests>.ConnectionString, db.Schema).BuildServiceProvider())
            foreach (var hosted in services.GetServices<IHostedService>().OfType<SchemaOnStartup>())
                await hosted.StartAsync(CancellationToken.None);
        await db.ScalarAsync("analyze mt_doc_requestlog");

        await using var session = db.Store.QuerySession();
        var cursor = afterCursor ? await session.Query<RequestLog>().Where(l => l.OrgId == org).OrderByDescending(l => l.At).Skip(1_000).FirstAsync() : null;
        var page = RequestLogOrder.NewestFirst(session.Query<RequestLog>().Where(l => l.OrgId == org && l.Mode == Mode.Live), cursor).Take(51);
        // 51 rows and the rest of the last microsecond's group (none here): nowhere near the org's 5,000.
        Assert.InRange(await QueryPlans.RowsReadAsync(db.Store, page, "mt_doc_requestlog"), 51, 60);
        Assert.Equal(51, (await page.ToListAsync()).Count);
    }

    /// <summary>
    /// A 4xx or 5xx filter reads the failed requests of its class only, through their own index: here
    /// the org's 5xx are all older than its 6,000 successes and 400 client errors, as after an outage
    /// weeks ago. Through the list index the page read every newer log first.
    /// </summary>
    [Theory]
    [InlineData("5xx", 21)]
    [InlineData("4xx", 21)]
    public async Task A_page_of_failed_requests_reads_that_page(string statusClass, int expected)
    {
        var (org, other) = (Ids.New("org"), Ids.New("org"));
        var start = DateTimeOffset.UtcNow.AddDays(-20);
        RequestLog Log(string orgId, int i, int status) => new()
        {
            Id = Ids.New("req"), OrgId = orgId, Mode = Mode.Live, At = start.AddSeconds(i), Method = "GET", Path = "/api/v1/notes", Status = status,
        };
        var logs = Enumerable.Range(0, 30).Select(i => Log(org, i, 503))
            .Concat(Enumerable.Range(30, 6_400).Select(i => Log(org, i, i % 16 == 0 ? 404 : 200)))
            .Concat(Enumerable.Range(0, 6_430).Select(i => Log(other, i, i % 2 == 0 ? 500 : 429)))
            .ToList();
        await db.Store.BulkInsertDocumentsAsync(logs);
        await StartUpAsync();
        await db.ScalarAsync("analyze mt_doc_requestlog");

        await using var session = db.Store.QuerySession();
        var page = RequestLogOrder.NewestFirst(session.Query<RequestLog>().Where(l => l.OrgId == org && l.Mode == Mode.Live).WithStatusClass(statusClass), null).Take(expected);

        var rows = await page.ToListAsync();
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, l => Assert.Equal(statusClass[0] - '0', l.Status / 100));
        Assert.All(rows, l => Assert.Equal(org, l.OrgId));
        Assert.InRange(await QueryPlans.RowsReadAsync(db.Store, page, "mt_doc_requestlog"), expected, expected + 10);
    }

    private async Task StartUpAsync()
    {
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System)
            .AddNexusStore(WebhookDatabase<RequestLogIndexTests>.ConnectionString, db.Schema).BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>().OfType<SchemaOnStartup>())
            await hosted.StartAsync(CancellationToken.None);
    }

    private async Task<string> ColumnsAsync() => (string)(await db.ScalarAsync($"""
        select string_agg(column_name, ', ' order by column_name) from information_schema.columns
        where table_schema = '{db.Schema}' and table_name = 'mt_doc_requestlog'
        """))!;
}
