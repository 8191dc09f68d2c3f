using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Nexus.Shared.RateLimits;

/// <summary>The database side of <see cref="RateCounters"/>: the counter table and the function that takes from it.</summary>
public static class RateCounterSchema
{
    /// <summary>
    /// One round trip per batch, and the row locks are held only while the function runs on the
    /// server (not across network round trips). The counters are locked in bucket order, the room
    /// left is the smallest of their rooms, and every counter grows by the same grant (at most the
    /// room), so no limit is ever passed and a refused request spends nothing. Counters commit
    /// without waiting for the WAL flush: a database crash may forget the last moment's counts
    /// (erring towards allowing), never invent them.
    /// </summary>
    public static string FunctionSql(string schema, string tableName, string functionName) => $"""
        create or replace function {schema}.{functionName}(p_buckets text[], p_windows timestamptz[], p_limits int[], p_wanted int)
        returns int[] language plpgsql as $fn$
        declare
            n int := coalesce(array_length(p_buckets, 1), 0);
            c int;
            room int := p_wanted;
            tightest int := 1;
            granted int;
            counts int[] := array[]::int[];
        begin
            set local synchronous_commit to off;
            for i in 1 .. n loop
                insert into {schema}.{tableName} (bucket, window_start, count) values (p_buckets[i], p_windows[i], 0)
                    on conflict (bucket, window_start) do nothing;
                select count into c from {schema}.{tableName}
                    where bucket = p_buckets[i] and window_start = p_windows[i] for update;
                if p_limits[i] - c < room or i = 1 then
                    if p_limits[i] - c < room then room := p_limits[i] - c; end if;
                    tightest := i;
                end if;
            end loop;
            granted := greatest(0, least(room, p_wanted));
            for i in 1 .. n loop
                update {schema}.{tableName} set count = count + granted
                    where bucket = p_buckets[i] and window_start = p_windows[i] returning count into c;
                counts := counts || c;
            end loop;
            return array[granted, tightest] || counts;
        end
        $fn$;
        """;
}

/// <summary>The schema object behind <see cref="RateCounters"/>; registered in <c>NexusStore.Configure</c>.</summary>
public sealed class RateCounterTable(StoreOptions options) : FeatureSchemaBase("RateCounters", options.Advanced.Migrator)
{
    public override Type StorageType => typeof(RateCounterTable);

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(options.DatabaseSchemaName, RateCounters.TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("bucket").AsPrimaryKey();
        table.AddColumn("window_start", "timestamptz").AsPrimaryKey();
        table.AddColumn<int>("count").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_nx_rate_counters_window") { Columns = ["window_start"] });
        yield return table;
    }
}
