using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

public sealed class InvitationCleanupJobTests(WorkerDatabase<InvitationCleanupJobTests> db) : IClassFixture<WorkerDatabase<InvitationCleanupJobTests>>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Invitations_finished_more_than_30_days_ago_are_deleted_and_the_rest_kept()
    {
        var org = Ids.New("org");
        var days30 = TimeSpan.FromDays(30);
        await StoreAsync(
            Invite(org, "accepted-31d", created: Now.AddDays(-32), accepted: Now.AddDays(-31)),
            Invite(org, "accepted-30d-1s", created: Now.AddDays(-31), accepted: Now - days30 - Second),
            Invite(org, "accepted-30d", created: Now.AddDays(-31), accepted: Now - days30),
            Invite(org, "accepted-29d", created: Now.AddDays(-30), accepted: Now.AddDays(-29)),
            Invite(org, "revoked-30d-1s", created: Now.AddDays(-31), revoked: Now - days30 - Second),
            Invite(org, "revoked-30d", created: Now.AddDays(-31), revoked: Now - days30),
            // Replaced after it had expired: it finished when it expired.
            Invite(org, "expired-then-replaced", created: Now.AddDays(-40), revoked: Now.AddDays(-1)),
            Invite(org, "expired-30d-1s", created: Now - days30 - Second - Invitation.Lifetime),
            Invite(org, "expired-30d", created: Now - days30 - Invitation.Lifetime),
            Invite(org, "expired-29d", created: Now.AddDays(-29) - Invitation.Lifetime),
            Invite(org, "pending", created: Now.AddDays(-1)),
            Invite(org, "pending-expires-now", created: Now - Invitation.Lifetime + Second));

        await RunJobAsync();

        Assert.Equal(["accepted-29d", "accepted-30d", "expired-29d", "expired-30d", "pending", "pending-expires-now", "revoked-30d"], await LeftAsync(org));
    }

    [Fact]
    public async Task A_backlog_larger_than_a_batch_is_deleted_in_one_run()
    {
        var org = Ids.New("org");
        var old = Enumerable.Range(0, InvitationCleanupJob.BatchSize * 2 + 3)
            .Select(i => Invite(org, $"old-{i}", created: Now.AddDays(-60), revoked: Now.AddDays(-59)));
        await db.Store.BulkInsertDocumentsAsync(old.Append(Invite(org, "pending", created: Now.AddDays(-2))).ToList());

        await RunJobAsync();

        Assert.Equal(["pending"], await LeftAsync(org));
    }

    [Fact]
    public async Task Audit_entries_about_deleted_invitations_stay()
    {
        var org = Ids.New("org");
        var invitation = Invite(org, "revoked-long-ago", created: Now.AddDays(-90), revoked: Now.AddDays(-89));
        var actor = new AuditActor(AuditActor.UserType, "usr_owner", "owner@example.com", null, null);
        var entry = AuditEntry.For(org, Mode.Test, actor, AuditActions.InvitationRevoked, "invitation", invitation.Id, invitation.Email, new FakeTimeProvider(Now.AddDays(-89)));
        await StoreAsync(invitation);
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(entry);
            await session.SaveChangesAsync();
        }

        await RunJobAsync();

        Assert.Empty(await LeftAsync(org));
        await using var query = db.Store.QuerySession();
        var kept = await query.Query<AuditEntry>().Where(a => a.OrgId == org).ToListAsync();
        Assert.Equal(invitation.Id, Assert.Single(kept).TargetId);
    }

    [Fact]
    public async Task The_delete_uses_the_index_on_when_an_invitation_finished_and_the_schema_stays_as_configured()
    {
        await StoreAsync(Invite(Ids.New("org"), "pending", created: Now));
        var table = db.Store.Options.Schema.For<Invitation>();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // A table this small is cheaper to scan; what matters is that the index can serve the delete.
        await using (var off = new Npgsql.NpgsqlCommand("set local enable_seqscan = off", conn, tx)) await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand($"""
            explain delete from {table} where id in (select id from {table} where {FinishedInvitations.FinishedAt(db.Schema)} < now() limit 10)
            """, conn, tx);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.Contains(plan, line => line.Contains(FinishedInvitations.IndexName));
        // Marten reads the index back as it configured it: no process drops and rebuilds it on start.
        await db.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await db.Store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
    }

    private async Task RunJobAsync()
    {
        var job = new InvitationCleanupJob(db.Store, db.DataSource, new FakeTimeProvider(Now), NullLogger<InvitationCleanupJob>.Instance);
        await job.Execute(null!, CancellationToken.None);
    }

    private static Invitation Invite(string org, string email, DateTimeOffset created, DateTimeOffset? accepted = null, DateTimeOffset? revoked = null) => new()
    {
        Id = Ids.New(Invitation.IdPrefix), OrgId = org, Email = email, Role = Role.Developer,
        TokenHash = LinkTokens.Hash(LinkTokens.Invitation.New()), InvitedById = "usr_owner", InvitedByEmail = "owner@example.com",
        CreatedAt = created, ExpiresAt = created + Invitation.Lifetime,
        AcceptedAt = accepted, AcceptedByUserId = accepted is null ? null : "usr_joined", RevokedAt = revoked,
    };

    private async Task StoreAsync(params Invitation[] invitations)
    {
        await using var session = db.Store.LightweightSession();
        session.Store(invitations);
        await session.SaveChangesAsync();
    }

    private async Task<string[]> LeftAsync(string org)
    {
        await using var session = db.Store.QuerySession();
        var left = await session.Query<Invitation>().Where(i => i.OrgId == org).Select(i => i.Email).ToListAsync();
        return left.Order(StringComparer.Ordinal).ToArray();
    }
}
