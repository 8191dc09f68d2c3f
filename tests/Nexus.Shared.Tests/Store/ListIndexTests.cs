using System.Linq.Expressions;
using Marten;
using Npgsql;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Notes;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Store;

/// <summary>
/// Every list is one org's documents in one mode, newest first. A page must read its own rows and
/// stop, in either mode, however many the org keeps in the other mode and however many other orgs
/// there are: the sandbox list of an org with heavy live traffic is where a developer looks first.
/// With an index on org_id alone it read every live row first (118 ms for 300,000 events).
/// </summary>
public sealed class ListIndexTests(WebhookDatabase<ListIndexTests> db) : IClassFixture<WebhookDatabase<ListIndexTests>>
{
    private const int Page = 21;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(nameof(Note))]
    [InlineData(nameof(Customer))]
    [InlineData(nameof(WebhookEvent))]
    [InlineData(nameof(AuditEntry))]
    [InlineData(nameof(RequestLog))]
    [InlineData(nameof(WebhookDelivery))]
    public async Task A_page_reads_its_own_rows_in_either_mode_whatever_the_org_keeps_in_the_other(string list)
    {
        // One large org, mostly live with a few test rows among them, beside many small orgs.
        var (big, small) = (Ids.New("org"), Ids.New("org"));
        var clock = new ManualClock(Start);
        var rows = new List<(string Org, Mode Mode)>();
        for (var i = 0; i < 4_000; i++)
        {
            rows.Add((big, i % 160 == 7 ? Mode.Test : Mode.Live));
            if (i % 2 == 0) rows.Add((i % 50 == 0 ? small : "org_other_" + i % 20, Mode.Live));
        }
        var documents = rows.Select(r => { clock.Advance(TimeSpan.FromSeconds(1)); return Document(list, r.Org, r.Mode, clock); }).ToList();
        await db.Store.BulkInsertDocumentsAsync(documents);
        await db.ScalarAsync($"analyze {db.Store.Options.Schema.For(documents[0].GetType())}");

        foreach (var (org, mode, cursorAt) in new[] { (big, Mode.Test, 0), (big, Mode.Test, 5), (big, Mode.Live, 0), (big, Mode.Live, 1_000), (small, Mode.Live, 0) })
        {
            await using var session = db.Store.QuerySession();
            var (query, table) = await PageAsync(session, list, org, mode, cursorAt);
            var read = await QueryPlans.RowsReadAsync(db.Store, query, table);
            // A page, or a little more: where the org's rows are most of the table, the planner may walk
            // the primary key instead and skip the others' few (about 30 rows here). Without the index
            // the sandbox page of the large org read all 6,000 rows.
            Assert.True(read is > 0 and <= 2 * Page, $"{list}, {mode} page of {(org == big ? "the large" : "a small")} org after {cursorAt}: read {read} rows");
        }
    }

    [Fact]
    public async Task Notes_keep_their_mode_column_in_the_list_index_and_no_index_of_its_own()
    {
        Assert.Equal("btree (id) | btree (org_id, mode, id)", await db.ScalarAsync($"""
            select string_agg(def, ' | ' order by def) from (
                select regexp_replace(indexdef, '^.* USING ', '') as def
                from pg_indexes where schemaname = '{db.Schema}' and tablename = 'mt_doc_note') d
            """));
    }

    private static object Document(string list, string org, Mode mode, TimeProvider clock) => list switch
    {
        nameof(Note) => new Note { Id = Ids.New("note", clock), OrgId = org, Mode = mode, Title = "t", CreatedAt = clock.GetUtcNow() },
        nameof(Customer) => new Customer { Id = Ids.New(Customer.IdPrefix, clock), OrgId = org, Mode = mode, CreatedAt = clock.GetUtcNow() },
        nameof(WebhookEvent) => new WebhookEvent { Id = Ids.New(WebhookEvent.IdPrefix, clock), OrgId = org, Mode = mode, Type = "note.created", CreatedAt = clock.GetUtcNow(), Payload = "{}" },
        nameof(AuditEntry) => AuditEntry.For(org, mode, AuditActor.User("user_1", "a@b.test", null, null), "key.created", "api_key", "key_1", "k", clock),
        nameof(WebhookDelivery) => new WebhookDelivery { Id = Ids.New(WebhookDelivery.IdPrefix, clock), OrgId = org, Mode = mode, EndpointId = "we_1", EventId = "evt_1", CreatedAt = clock.GetUtcNow() },
        _ => new RequestLog { Id = Ids.New("req", clock), OrgId = org, Mode = mode, At = clock.GetUtcNow(), Method = "GET", Path = "/api/v1/notes", Status = 200 },
    };

    /// <summary>The page as the list routes ask for it, after the <paramref name="skip"/>th newest row (from the top at 0).</summary>
    private static async Task<(NpgsqlCommand Query, string Table)> PageAsync(IQuerySession session, string list, string org, Mode mode, int skip)
    {
        switch (list)
        {
            case nameof(Note): return (await ById(session.Query<Note>().Where(x => x.OrgId == org && x.Mode == mode), x => x.Id, c => x => string.Compare(x.Id, c) < 0, skip), "mt_doc_note");
            case nameof(Customer): return (await ById(session.Query<Customer>().Where(x => x.OrgId == org && x.Mode == mode), x => x.Id, c => x => string.Compare(x.Id, c) < 0, skip), "mt_doc_customer");
            case nameof(WebhookEvent): return (await ById(session.Query<WebhookEvent>().Where(x => x.OrgId == org && x.Mode == mode), x => x.Id, c => x => string.Compare(x.Id, c) < 0, skip), "mt_doc_webhookevent");
            case nameof(WebhookDelivery): return (await ById(session.Query<WebhookDelivery>().Where(x => x.OrgId == org && x.Mode == mode), x => x.Id, c => x => string.Compare(x.Id, c) < 0, skip), "mt_doc_webhookdelivery");
            case nameof(AuditEntry): return (await ById(session.Query<AuditEntry>().Where(x => x.OrgId == org && x.Mode == mode), x => x.Id, c => x => string.Compare(x.Id, c) < 0, skip), "mt_doc_auditentry");
            default:
                var logs = session.Query<RequestLog>().Where(x => x.OrgId == org && x.Mode == mode);
                var cursor = skip == 0 ? null : await logs.OrderByDescending(x => x.At).Skip(skip).FirstAsync();
                return (Command(RequestLogOrder.NewestFirst(logs, cursor).Take(Page)), "mt_doc_requestlog");
        }
    }

    /// <summary>Newest first by id, after a cursor as ApiQuery.NewestFirstAsync pages.</summary>
    private static async Task<NpgsqlCommand> ById<T>(IQueryable<T> query, Expression<Func<T, string>> id, Func<string, Expression<Func<T, bool>>> before, int skip) where T : notnull
    {
        if (skip > 0) query = query.Where(before(await query.OrderByDescending(id).Select(id).Skip(skip).FirstAsync()));
        return Command(query.OrderByDescending(id).Take(Page));
    }

    private static NpgsqlCommand Command<T>(IQueryable<T> query) where T : notnull => Marten.QueryableExtensions.ToCommand(query, Marten.Linq.FetchType.FetchMany);
}
