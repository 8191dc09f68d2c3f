using Nexus.Shared.Tests.Webhooks.Support;

namespace Nexus.Shared.Tests.RequestLogs;

/// <summary>
/// Every API request writes a request log, so the table carries only the indexes its readers
/// need: the primary key, (org_id, at) for an org's logs newest first, and a BRIN index on at for
/// retention and the usage roll-up. A new index here costs every request.
/// </summary>
public sealed class RequestLogIndexTests(WebhookDatabase<RequestLogIndexTests> db) : IClassFixture<WebhookDatabase<RequestLogIndexTests>>
{
    [Fact]
    public async Task The_request_log_table_has_exactly_the_three_indexes_its_readers_use()
    {
        var indexes = (string)(await db.ScalarAsync($"""
            select string_agg(def, ' | ' order by def) from (
                select regexp_replace(indexdef, '^.* USING ', '') as def
                from pg_indexes where schemaname = '{db.Schema}' and tablename = 'mt_doc_requestlog') d
            """))!;

        Assert.Equal("brin (at) | btree (id) | btree (org_id, at)", indexes);
    }
}
