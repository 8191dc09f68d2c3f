using Marten;
using Marten.Patching;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Idempotency;
using Nexus.Shared.Notes;
using Nexus.Shared.RequestLogs;
using Nexus.Shared.Usage;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Clears an org's sandbox: every test-mode object (notes, customers, events and their deliveries,
/// request logs, usage, idempotency keys) in one transaction. Configuration stays: test keys and
/// test webhook endpoints keep working, so an integration's test suite can start over without
/// re-wiring anything. Live data is never touched, and the audit log (append-only) keeps the
/// record of the reset itself.
/// </summary>
public static class TestDataReset
{
    public static async Task ResetAsync(IDocumentSession session, string orgId, AuditActor actor, TimeProvider clock, CancellationToken ct)
    {
        // Waits for a usage fold under way, so that none stores a test-mode record again after this.
        session.QueueSqlCommand($"select pg_advisory_xact_lock({UsageIncrement.FoldLockSql})", session.DocumentStore.Options.DatabaseSchemaName);
        session.DeleteWhere<Note>(x => x.OrgId == orgId && x.Mode == Mode.Test);
        session.DeleteWhere<Customer>(x => x.OrgId == orgId && x.Mode == Mode.Test);
        DeliveryModeColumn.DeleteWhere(session, orgId, Mode.Test);
        session.DeleteWhere<WebhookEvent>(x => x.OrgId == orgId && x.Mode == Mode.Test);
        session.DeleteWhere<RequestLog>(x => x.OrgId == orgId && x.Mode == Mode.Test);
        session.DeleteWhere<UsageRecord>(x => x.OrgId == orgId && x.Mode == Mode.Test);
        session.DeleteWhere<UsageIncrement>(x => x.Counts.OrgId == orgId && x.Counts.Mode == Mode.Test);
        session.QueueSqlCommand($"delete from {session.DocumentStore.Options.DatabaseSchemaName}.{IdempotencyTable.TableName} where org_id = ? and mode = ?",
            orgId, Mode.Test.ToWire());
        // Endpoints stay, but their failure streak started on data that is gone. A patch, not a whole
        // document, so a worker disabling one meanwhile is not undone.
        session.Patch<WebhookEndpoint>(e => e.OrgId == orgId && e.Mode == Mode.Test && e.ConsecutiveDeadLetters > 0)
            .Set(e => e.ConsecutiveDeadLetters, 0);
        session.Store(AuditEntry.For(orgId, Mode.Test, actor, AuditActions.OrgTestDataReset, "organization", orgId, "Test data", clock));
        await session.SaveChangesAsync(ct);
    }
}
