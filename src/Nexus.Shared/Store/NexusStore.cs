using JasperFx;
using Marten;
using Weasel.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Shared.Webhooks;
using Nexus.Shared.Workers;

namespace Nexus.Shared.Store;

public static class NexusStore
{
    public const string DefaultSchema = "nexus";

    /// <summary>Registers Marten with every Nexus document and the indexes its hot paths need.</summary>
    public static IServiceCollection AddNexusStore(this IServiceCollection services, string connectionString, string schema = DefaultSchema)
    {
        // One data source for Marten and for the raw SQL the hot paths use. Every API request borrows
        // a pooled connection for a query or two, so what a borrow costs counts. By default Npgsql
        // resets a returned connection (DISCARD ALL, sent with its next query) and PostgreSQL parses
        // and plans every statement anew; together that was half of PostgreSQL's work for a note GET.
        // Nothing leaves session state on a pooled connection (SET LOCAL and advisory xact locks end
        // with their transaction; LISTEN uses NotificationConnections), so the reset is skipped and
        // the statements run most often are prepared once per connection.
        var pooled = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (pooled.MaxAutoPrepare == 0) pooled.MaxAutoPrepare = 32;
        services.AddSingleton(_ => NpgsqlDataSource.Create(pooled.ConnectionString));
        services.AddSingleton(new NotificationConnections(connectionString));
        services.AddMarten(opts => Configure(opts, schema))
            .UseNpgsqlDataSource()
            .UseLightweightSessions();
        services.AddHostedService<SchemaOnStartup>();
        return services;
    }

    /// <summary>
    /// Duplicated columns with no index of their own: notes' and deliveries' mode (in their list
    /// indexes; two values could never narrow a read) and deliveries' created_at (read by the
    /// retry of an endpoint's failed deliveries, within the rows its own indexes find). An index
    /// of their own would cost every write.
    /// </summary>
    private static readonly (Type Type, string Member, string Column)[] ColumnsWithoutIndex =
    [
        (typeof(WebhookDelivery), nameof(WebhookDelivery.CreatedAt), "created_at"),
        (typeof(WebhookDelivery), nameof(WebhookDelivery.Mode), DeliveryModeColumn.Column),
        (typeof(Note), nameof(Note.Mode), "mode"),
    ];

    public static void Configure(StoreOptions opts, string schema)
    {
        opts.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // An index added to a table that already has rows (an upgrade) is built with CREATE INDEX
        // CONCURRENTLY: a plain build holds off every write to the table until it ends, which on a
        // large request-log or event table is an outage of the API. A new table's indexes are made
        // with it, as before.
        ((Weasel.Postgresql.PostgresqlMigrator)opts.Advanced.Migrator).BuildIndexesConcurrentlyOnAlter = true;
        opts.UseSystemTextJsonForSerialization(enumStorage: EnumStorage.AsString);

        opts.Schema.For<Organization>();
        opts.Schema.For<DataProtectionKeyDocument>();
        opts.Schema.For<User>().UniqueIndex(x => x.Email);
        // One membership per user and org: two concurrent accepts of an invitation cannot both join.
        opts.Schema.For<Membership>()
            .Index(x => x.UserId)
            .Index(x => x.OrgId)
            .UniqueIndex(Marten.Schema.UniqueIndexType.Computed, "uidx_membership_org_user", x => x.OrgId, x => x.UserId);
        // An invitation link is looked up by its token's hash. The worker deletes finished ones by when
        // they finished (FinishedInvitations); invitations are written by hand, so an index costs nothing that counts.
        opts.Schema.For<Invitation>()
            .UniqueIndex(x => x.TokenHash)
            .Index(x => x.OrgId)
            .Index(x => x.ExpiresAt, index =>
            {
                index.Name = FinishedInvitations.IndexName;
                index.Mask = FinishedInvitations.IndexMask(schema);
            });
        // A reset link is looked up by its token's hash; one row per user at most (the id is the user's).
        opts.Schema.For<PasswordReset>().UniqueIndex(x => x.TokenHash);
        // A dashboard session is loaded by id (its token's hash) on every request, listed by user on the
        // Account page, and deleted by the worker once inactive (InactiveSessions).
        opts.Schema.For<UserSession>()
            .Index(x => x.UserId)
            .Index(x => x.LastSeenAt, index =>
            {
                index.Name = InactiveSessions.IndexName;
                index.Mask = InactiveSessions.IndexMask(schema);
            });
        // Every authenticated API request looks a key up by its hash.
        opts.Schema.For<ApiKey>()
            .UniqueIndex(x => x.KeyHash)
            .Index(x => x.OrgId);
        // Notes keep the mode in a column of their own (an older choice); it is in the list index,
        // and has no index of its own (two values: it could never narrow a read), see the policy below.
        opts.Schema.For<Note>()
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, "mt_doc_note", "mode", "id"));
        // Customers are listed per org and mode, newest first, optionally by email.
        opts.Schema.For<Nexus.Shared.Customers.Customer>()
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, "mt_doc_customer", ListIndex.ModeInDocument, "id"))
            .Duplicate(x => x.EmailLower);
        opts.Schema.For<WorkerHeartbeat>().Index(x => x.LastSeenAt);
        // Request logs are the busiest table: every API request writes one, and each index costs
        // every request. They are read per org newest first (the other filters applied within the
        // org's rows): one btree on (org_id, mode, at) serves that, and retention too (each org's
        // expired logs per mode, oldest first). The usage roll-up reads them by age across orgs: the table is
        // append-only in time order, so a BRIN index on at (a summary per range of pages, next to
        // nothing to keep up) serves that. A log row is written
        // once and never changed, so it carries none of Marten's informational columns (last modified,
        // version, .NET type): they were a tenth of every row and of the work of writing it.
        opts.Schema.For<RequestLog>()
            .Metadata(m => m.DisableInformationalFields())
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, RequestLogStatistics.Table, ListIndex.ModeInDocument, RequestLogStatistics.Order))
            .Duplicate(x => x.At, configure: index => index.Method = Weasel.Postgresql.Tables.IndexMethod.brin);
        // Written with every batch of request logs and deleted within a minute by the worker's fold:
        // a small, short-lived table, read whole in id order. Usage's "today" also reads one org's
        // increments not yet folded: while no worker runs they pile up (one per batch, key and
        // endpoint), so they are indexed by org, one entry per batch and key, not per request.
        opts.Schema.For<UsageIncrement>().Metadata(m => m.DisableInformationalFields())
            .Index(x => x.Counts.OrgId);
        // Usage is read per org and mode over a time range.
        opts.Schema.For<UsageRecord>()
            .Duplicate(x => x.OrgId)
            .Duplicate(x => x.Hour);
        // Audit lists are per org, newest first.
        opts.Schema.For<AuditEntry>()
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, "mt_doc_auditentry", ListIndex.ModeInDocument, "id"))
            .Duplicate(x => x.At);
        // Endpoints are read per org and mode (the outbox does on every write that emits an event).
        opts.Schema.For<WebhookEndpoint>()
            .Duplicate(x => x.OrgId)
            .Duplicate(x => x.Mode);
        opts.Schema.For<WebhookEvent>()
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, "mt_doc_webhookevent", ListIndex.ModeInDocument, "id"))
            // created_at's index holds custom events only, by org, mode and type: the deliveries page
            // offers the custom types an org has sent (CustomEventTypes). The API's created_gte/created_lt
            // filter within the list index's walk (nothing else read the old index on created_at).
            .Duplicate(x => x.CreatedAt, configure: index =>
            {
                index.Name = CustomEventTypeIndex.Name;
                index.Mask = CustomEventTypeIndex.Mask;
                index.Predicate = CustomEventTypeIndex.Predicate;
            })
            // A request log's detail lists the events the request caused.
            .Duplicate(x => x.RequestId);
        // The worker claims due deliveries by next_attempt_at and records under the JSON's LeaseToken with
        // raw SQL (see Nexus.Worker's DeliveryQueue); the delivery log lists them per org and endpoint.
        // Every attempt updates its row twice (claim, result). The claim changes no indexed column (the
        // lease lives in the JSON), so it can be a heap-only (HOT) update writing no index entry, if the
        // new row version fits on the same page. A claim takes neighbouring rows together, so a page
        // needs room for nearly all its rows' new versions at once: filled to 65 % on insert, every claim
        // was HOT in bench/cpu-per-delivery.sh (at 80 %, three in four), and the table was no bigger
        // after the drain, since finished deliveries (with their attempts) fill the room anyway. Marten
        // applies a changed fill factor to an existing table, for pages written from then on. The
        // result changes next_attempt_at and status, so it writes every index whose predicate the row
        // still meets: the two indexes that only some rows need hold only those, due ones (finished
        // deliveries have no next_attempt_at) and dead letters (the "retry failed" and status=failed look-ups).
        opts.Schema.For<WebhookDelivery>()
            .FillFactor(65)
            // The list index on the mode column (DeliveryModeColumn), not on the JSON: a JSON expression in
            // an index would make every claim write index entries again (LeaseHotUpdateTests). It also
            // serves deleting an org's test data; the API's created_gte/created_lt filter within its walk.
            .Duplicate(x => x.OrgId, configure: index => ListIndex.Configure(index, "mt_doc_webhookdelivery", DeliveryModeColumn.Column, "id"))
            .Duplicate(x => x.EndpointId)
            .Duplicate(x => x.EventId)
            .Duplicate(x => x.NextAttemptAt, configure: index => index.Predicate = "next_attempt_at is not null")
            .Duplicate(x => x.Status, configure: index => index.Predicate = "status = 'Failed'");
        // The registry's Duplicate always adds an index on the column; the mapping's own DuplicateField adds only the column.
        opts.Policies.ForAllDocuments(mapping =>
        {
            foreach (var (type, member, column) in ColumnsWithoutIndex)
                if (mapping.DocumentType == type && mapping.DuplicatedFields.All(f => f.ColumnName != column))
                    mapping.DuplicateField(member);
            // Failed requests' logs by status class (RequestLogErrors), attached to the id column: an index
            // added on at would merge with at's BRIN index (the registry's Duplicate).
            if (mapping.DocumentType == typeof(RequestLog) && mapping.Indexes.All(i => i.Name != RequestLogErrors.Name))
            {
                var errors = mapping.AddIndex("id");
                errors.Name = RequestLogErrors.Name;
                errors.Mask = RequestLogErrors.Mask;
                errors.Predicate = RequestLogErrors.Predicate;
            }
            // Deliveries written before their mode column, until the worker fills it: empty once it has.
            // On the id column, not the registry's Index(x => x.Id), which would index the JSON.
            if (mapping.DocumentType == typeof(WebhookDelivery) && mapping.Indexes.All(i => i.Name != DeliveryModeColumn.MissingIndexName))
            {
                var missing = mapping.AddIndex("id");
                missing.Name = DeliveryModeColumn.MissingIndexName;
                missing.Predicate = DeliveryModeColumn.MissingPredicate;
            }
        });
        // Failed API-key authentications per client IP and minute, shared by every web node.
        opts.Storage.Add(new Nexus.Shared.RateLimits.RateCounterTable(opts));
        opts.Storage.Add(new Nexus.Shared.Idempotency.IdempotencyTable(opts));
    }
}
