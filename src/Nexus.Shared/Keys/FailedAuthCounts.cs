using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Nexus.Shared.Keys;

/// <summary>
/// Failed API-key authentications per client and minute, counted in PostgreSQL so every web
/// node adds to (and reads) the same number. The table belongs to Marten's schema management
/// (created with the other Nexus tables, in the store's schema).
/// </summary>
public sealed class FailedAuthCounts(IDocumentStore store, NpgsqlDataSource db)
{
    public const string TableName = "nx_failed_auth";

    /// <summary>Windows older than this are deleted as new failures arrive (nothing reads them).</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private volatile bool _ensured;

    /// <summary>Adds one failure for <paramref name="client"/> in the window starting at <paramref name="windowStart"/> and returns the window's count so far.</summary>
    /// <remarks>One statement: concurrent failures on any number of nodes each get a distinct, exact count (the upsert takes the row lock).</remarks>
    public async Task<int> AddFailureAsync(string client, DateTimeOffset windowStart, CancellationToken ct)
    {
        if (!_ensured)
        {
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(FailedAuthTable), ct);
            _ensured = true;
        }

        var table = $"{store.Options.DatabaseSchemaName}.{TableName}";
        await using var cmd = db.CreateCommand($"""
            with expired as (delete from {table} where window_start < @cutoff)
            insert into {table} as t (client, window_start, count) values (@client, @window, 1)
            on conflict (client, window_start) do update set count = t.count + 1
            returning t.count
            """);
        cmd.Parameters.AddWithValue("client", client);
        cmd.Parameters.AddWithValue("window", windowStart.UtcDateTime);
        cmd.Parameters.AddWithValue("cutoff", (windowStart - Retention).UtcDateTime);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>The schema object behind <see cref="FailedAuthCounts"/>; registered in <c>NexusStore.Configure</c>.</summary>
public sealed class FailedAuthTable(StoreOptions options) : FeatureSchemaBase("FailedAuth", options.Advanced.Migrator)
{
    public override Type StorageType => typeof(FailedAuthTable);

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(options.DatabaseSchemaName, FailedAuthCounts.TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("client").AsPrimaryKey();
        table.AddColumn("window_start", "timestamptz").AsPrimaryKey();
        table.AddColumn<int>("count").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_nx_failed_auth_window") { Columns = ["window_start"] });
        yield return table;
    }
}
