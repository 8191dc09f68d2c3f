using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Nexus.Shared.RateLimits;

/// <summary>The database side of <see cref="RateCounters"/>: the counter table and the function that leases from it.</summary>
public static class RateCounterSchema
{
    /// <summary>
    /// <c>nx_rate_lease(buckets, windows, limits, held, requests, slice_divisor, max_slice)</c>: one
    /// round trip for a batch of <c>requests</c> requests that need one unit of every listed
    /// counter, of which the node already holds <c>held[i]</c> (fewer than <c>requests</c>). The
    /// counters are locked in the order given (the caller sorts by bucket, so calls cannot
    /// deadlock) and only while the function runs. Counter i can serve <c>held[i] + room[i]</c>
    /// requests; the batch is admitted up to the smallest of those. If none is admitted, nothing is
    /// leased anywhere (a refused request spends nothing). Otherwise each counter leases what the
    /// admitted requests lack plus a spare slice of <c>slice - 1</c> units, where
    /// <c>slice = clamp(min(limit, room) / slice_divisor, 1, max_slice)</c>, never more than its room:
    /// no counter ever passes its limit. Returns <c>[admitted, index (1-based) of the tightest
    /// counter, grant of each counter…, count of each counter after its grant…]</c>.
    /// Counters commit without waiting for the WAL flush: a database crash may forget the last
    /// moment's counts (erring towards allowing), never invent them.
    /// </summary>
    public static string FunctionSql(string schema, string tableName, string functionName) => $"""
        create or replace function {schema}.{functionName}(p_buckets text[], p_windows timestamptz[], p_limits int[],
            p_held int[], p_requests int, p_slice_divisor int, p_max_slice int)
        returns int[] language plpgsql as $fn$
        declare
            n int := coalesce(array_length(p_buckets, 1), 0);
            c int;
            room int;
            slice int;
            admitted int := p_requests;
            tightest int := 1;
            counts int[] := array[]::int[];
            grants int[] := array[]::int[];
        begin
            set local synchronous_commit to off;
            for i in 1 .. n loop
                insert into {schema}.{tableName} (bucket, window_start, count) values (p_buckets[i], p_windows[i], 0)
                    on conflict (bucket, window_start) do nothing;
                select count into c from {schema}.{tableName}
                    where bucket = p_buckets[i] and window_start = p_windows[i] for update;
                counts := counts || c;
                if p_held[i] + p_limits[i] - c < admitted or i = 1 then
                    admitted := least(admitted, p_held[i] + p_limits[i] - c);
                    tightest := i;
                end if;
            end loop;
            admitted := greatest(admitted, 0);
            for i in 1 .. n loop
                room := greatest(p_limits[i] - counts[i], 0);
                slice := greatest(1, least(p_max_slice, least(p_limits[i], room) / p_slice_divisor));
                grants := grants || case when admitted <= p_held[i] then 0
                                         else least(room, admitted - p_held[i] + slice - 1) end;
                if grants[i] > 0 then
                    update {schema}.{tableName} set count = count + grants[i]
                        where bucket = p_buckets[i] and window_start = p_windows[i] returning count into c;
                    counts[i] := c;
                end if;
            end loop;
            return array[admitted, tightest] || grants || counts;
        end
        $fn$;
        """;

    /// <summary>The function this one replaced (one unit per request, no leasing); dropped when the new one is created.</summary>
    public const string DropOldFunctionSql = "drop function if exists {0}.nx_rate_take(text[], timestamptz[], int[], int)";
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
