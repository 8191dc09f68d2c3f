using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Nexus.Shared.Idempotency;

/// <summary>
/// The table behind <see cref="IdempotencyStore"/>, registered in <c>NexusStore.Configure</c>.
/// A plain table rather than a Marten document: the claim relies on PostgreSQL making a second
/// insert of the same primary key wait for the first transaction's outcome, which needs raw SQL.
/// </summary>
public sealed class IdempotencyTable(StoreOptions options) : FeatureSchemaBase("Idempotency", options.Advanced.Migrator)
{
    public const string TableName = "nx_idempotency_keys";

    public override Type StorageType => typeof(IdempotencyTable);

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(options.DatabaseSchemaName, TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("org_id").AsPrimaryKey();
        table.AddColumn<string>("mode").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn("fingerprint", "bytea").NotNull();
        table.AddColumn<int>("status_code");
        table.AddColumn("headers", "jsonb");
        table.AddColumn("body", "bytea");
        table.AddColumn("created_at", "timestamptz").NotNull();
        table.AddColumn("expires_at", "timestamptz").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_nx_idempotency_expires") { Columns = ["expires_at"] });
        yield return table;
    }
}
