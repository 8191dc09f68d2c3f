using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Tests.Webhooks.Support;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class EndpointManagerTests(WebhookDatabase<EndpointManagerTests> db) : IClassFixture<WebhookDatabase<EndpointManagerTests>>
{
    private const string Url = "https://93.184.215.14/hooks/nexus";
    private static readonly AuditActor Actor = AuditActor.User("usr_1", "owner@example.com", "203.0.113.9", "req_1");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    private async Task<T> WithManagerAsync<T>(Func<EndpointManager, Task<T>> action)
    {
        await using var session = db.Store.LightweightSession();
        return await action(new EndpointManager(session, db.Secrets, db.Guard, _clock));
    }

    private Task<EndpointResult> CreateAsync(string org, Mode mode = Mode.Test, EndpointSpec? spec = null) =>
        WithManagerAsync(m => m.CreateAsync(org, mode, spec ?? new EndpointSpec(Url), Actor, CancellationToken.None));

    private async Task<WebhookEndpoint?> LoadAsync(string id)
    {
        await using var session = db.Store.QuerySession();
        return await session.LoadAsync<WebhookEndpoint>(id);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string org)
    {
        await using var session = db.Store.QuerySession();
        return await session.Query<AuditEntry>().Where(a => a.OrgId == org).OrderBy(a => a.At).ToListAsync();
    }

    [Fact]
    public async Task Create_stores_the_endpoint_with_an_encrypted_secret_and_audits_it()
    {
        var org = Ids.New("org");

        var result = await CreateAsync(org, Mode.Live, new EndpointSpec(Url, "Billing", ["note.created", "note.created", "custom.x"]));

        Assert.Null(result.Refusal);
        Assert.StartsWith("whsec_", result.Secret);
        var stored = await LoadAsync(result.Endpoint!.Id);
        Assert.NotNull(stored);
        Assert.Equal((org, Mode.Live, Url, "Billing", true), (stored.OrgId, stored.Mode, stored.Url, stored.Description, stored.Enabled));
        Assert.Equal(["note.created", "custom.x"], stored.EventTypes);
        Assert.DoesNotContain(result.Secret!["whsec_".Length..], stored.SecretCiphertext);
        Assert.Equal(result.Secret, db.Secrets.Decrypt(stored.SecretCiphertext));
        var entry = Assert.Single(await AuditAsync(org));
        Assert.Equal((AuditActions.EndpointCreated, stored.Id, "usr_1"), (entry.Action, entry.TargetId, entry.ActorId));
    }

    [Fact]
    public async Task Exactly_20_of_30_concurrent_creates_succeed_and_the_rest_are_refused()
    {
        var org = Ids.New("org");

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => CreateAsync(org))));

        Assert.Equal(WebhookEndpoint.MaxPerOrgAndMode, results.Count(r => r.Refusal is null));
        Assert.All(results.Where(r => r.Refusal is not null), r => Assert.Equal(EndpointManager.EndpointLimitReached, r.Refusal!.Code));
        await using var session = db.Store.QuerySession();
        Assert.Equal(20, await session.Query<WebhookEndpoint>().CountAsync(e => e.OrgId == org && e.Mode == Mode.Test));
        Assert.Equal(20, (await AuditAsync(org)).Count);
    }

    [Fact]
    public async Task The_limit_is_per_org_and_mode_and_a_deleted_endpoint_frees_its_place()
    {
        var org = Ids.New("org");
        var created = new List<EndpointResult>();
        for (var i = 0; i < 20; i++) created.Add(await CreateAsync(org));

        Assert.Equal(EndpointManager.EndpointLimitReached, (await CreateAsync(org)).Refusal?.Code);
        Assert.Null((await CreateAsync(org, Mode.Live)).Refusal);
        Assert.Null((await CreateAsync(Ids.New("org"))).Refusal);

        await WithManagerAsync(m => m.DeleteAsync(org, Mode.Test, created[0].Endpoint!.Id, Actor, CancellationToken.None));
        Assert.Null((await CreateAsync(org)).Refusal);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook", "url_blocked")]
    [InlineData("https://169.254.169.254/", "url_blocked")]
    [InlineData("ftp://93.184.215.14/", "url_invalid")]
    [InlineData("https://user@93.184.215.14/", "url_invalid")]
    public async Task A_blocked_or_malformed_url_is_refused_and_nothing_is_stored(string url, string code)
    {
        var guard = SsrfGuard.FromSettings(null, allowHttp: false);
        var org = Ids.New("org");
        await using var session = db.Store.LightweightSession();

        var result = await new EndpointManager(session, db.Secrets, guard, _clock).CreateAsync(org, Mode.Test, new EndpointSpec(url), Actor, CancellationToken.None);

        Assert.Equal((code, "url"), (result.Refusal?.Code, result.Refusal?.Param));
        await using var query = db.Store.QuerySession();
        Assert.Equal(0, await query.Query<WebhookEndpoint>().CountAsync(e => e.OrgId == org));
        Assert.Empty(await AuditAsync(org));
    }

    [Theory]
    [InlineData("note.exploded", EndpointSpecRules.EventTypeUnknown)]
    [InlineData("custom.", EndpointSpecRules.EventTypeUnknown)]
    public async Task Unknown_event_types_are_refused(string type, string code)
    {
        var result = await CreateAsync(Ids.New("org"), Mode.Test, new EndpointSpec(Url, EventTypes: [type]));

        Assert.Equal((code, "enabled_events"), (result.Refusal?.Code, result.Refusal?.Param));
    }

    [Fact]
    public async Task Rotating_keeps_the_previous_secret_signing_for_the_grace_and_then_only_the_new_one()
    {
        var org = Ids.New("org");
        var created = await CreateAsync(org);
        var id = created.Endpoint!.Id;

        var rotated = await WithManagerAsync(m => m.RotateSecretAsync(org, Mode.Test, id, TimeSpan.FromHours(24), Actor, CancellationToken.None));

        Assert.Null(rotated.Refusal);
        Assert.NotEqual(created.Secret, rotated.Secret);
        var stored = (await LoadAsync(id))!;
        Assert.Equal(rotated.Secret, db.Secrets.Decrypt(stored.SecretCiphertext));
        Assert.Equal(created.Secret, db.Secrets.Decrypt(stored.PreviousSecretCiphertext!));
        Assert.Equal(_clock.GetUtcNow().AddHours(24), stored.PreviousSecretExpiresAt);
        Assert.Equal([rotated.Secret, created.Secret], stored.SigningCiphertexts(_clock.GetUtcNow().AddHours(23)).Select(db.Secrets.Decrypt));
        Assert.Equal([rotated.Secret], stored.SigningCiphertexts(_clock.GetUtcNow().AddHours(24)).Select(db.Secrets.Decrypt));
        Assert.Contains(await AuditAsync(org), a => a.Action == AuditActions.EndpointSecretRotated && a.TargetId == id);
    }

    [Fact]
    public async Task Rotating_with_no_grace_stops_the_old_secret_at_once()
    {
        var org = Ids.New("org");
        var id = (await CreateAsync(org)).Endpoint!.Id;

        var rotated = await WithManagerAsync(m => m.RotateSecretAsync(org, Mode.Test, id, TimeSpan.Zero, Actor, CancellationToken.None));

        var stored = (await LoadAsync(id))!;
        Assert.Null(stored.PreviousSecretCiphertext);
        Assert.Equal([rotated.Secret], stored.SigningCiphertexts(_clock.GetUtcNow()).Select(db.Secrets.Decrypt));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7 * 24 * 3600 + 1)]
    public async Task A_grace_out_of_range_is_refused_and_the_secret_stays(int seconds)
    {
        var org = Ids.New("org");
        var created = await CreateAsync(org);

        var result = await WithManagerAsync(m => m.RotateSecretAsync(org, Mode.Test, created.Endpoint!.Id, TimeSpan.FromSeconds(seconds), Actor, CancellationToken.None));

        Assert.Equal((Refusal.ParameterInvalid, "grace_period_seconds"), (result.Refusal?.Code, result.Refusal?.Param));
        var stored = (await LoadAsync(created.Endpoint!.Id))!;
        Assert.Equal(created.Secret, db.Secrets.Decrypt(stored.SecretCiphertext));
        Assert.Null(stored.PreviousSecretCiphertext);
    }

    [Fact]
    public async Task A_grace_of_exactly_seven_days_is_accepted()
    {
        var org = Ids.New("org");
        var id = (await CreateAsync(org)).Endpoint!.Id;

        var result = await WithManagerAsync(m => m.RotateSecretAsync(org, Mode.Test, id, EndpointManager.MaxGrace, Actor, CancellationToken.None));

        Assert.Null(result.Refusal);
    }

    [Fact]
    public async Task Revealing_returns_the_current_secret_and_records_who_looked_without_the_secret()
    {
        var org = Ids.New("org");
        var created = await CreateAsync(org);

        var revealed = await WithManagerAsync(m => m.RevealSecretAsync(org, Mode.Test, created.Endpoint!.Id, Actor, CancellationToken.None));

        Assert.Equal(created.Secret, revealed.Secret);
        var entry = Assert.Single(await AuditAsync(org), a => a.Action == AuditActions.EndpointSecretRevealed);
        Assert.Equal(("usr_1", "203.0.113.9", created.Endpoint!.Id), (entry.ActorId, entry.Ip, entry.TargetId));
        var auditJson = (string)(await db.ScalarAsync($"select string_agg(data::text, '') from mt_doc_auditentry where data->>'OrgId' = '{org}'"))!;
        Assert.DoesNotContain(created.Secret!["whsec_".Length..], auditJson);
    }

    [Fact]
    public async Task Another_orgs_or_another_modes_endpoint_is_not_found_by_any_operation_and_stays_as_it_was()
    {
        var owner = Ids.New("org");
        var created = await CreateAsync(owner);
        var id = created.Endpoint!.Id;
        var stranger = Ids.New("org");

        foreach (var (org, mode) in new[] { (stranger, Mode.Test), (owner, Mode.Live) })
        {
            var results = new[]
            {
                await WithManagerAsync(m => m.UpdateAsync(org, mode, id, new EndpointSpec("https://8.8.8.8/"), Actor, CancellationToken.None)),
                await WithManagerAsync(m => m.RotateSecretAsync(org, mode, id, TimeSpan.Zero, Actor, CancellationToken.None)),
                await WithManagerAsync(m => m.RevealSecretAsync(org, mode, id, Actor, CancellationToken.None)),
                await WithManagerAsync(m => m.DeleteAsync(org, mode, id, Actor, CancellationToken.None)),
            };
            Assert.All(results, r =>
            {
                Assert.Equal(Refusal.ResourceMissing, r.Refusal?.Code);
                Assert.Null(r.Secret);
            });
        }

        var stored = (await LoadAsync(id))!;
        Assert.Equal((Url, false), (stored.Url, stored.Deleted));
        Assert.Equal(created.Secret, db.Secrets.Decrypt(stored.SecretCiphertext));
        Assert.Empty(await AuditAsync(stranger));
        Assert.Single(await AuditAsync(owner)); // the creation only
    }

    [Theory]
    [InlineData("")]
    [InlineData("we_")]
    [InlineData("not-an-id")]
    [InlineData("dlv_00000000000000000000000000")]
    public async Task Malformed_ids_are_not_found(string id)
    {
        var result = await WithManagerAsync(m => m.RevealSecretAsync(Ids.New("org"), Mode.Test, id, Actor, CancellationToken.None));

        Assert.Equal(Refusal.ResourceMissing, result.Refusal?.Code);
    }

    [Fact]
    public async Task Update_changes_only_what_is_given_and_audits_the_changes()
    {
        var org = Ids.New("org");
        var id = (await CreateAsync(org, Mode.Test, new EndpointSpec(Url, "old", ["note.created"]))).Endpoint!.Id;

        var result = await WithManagerAsync(m => m.UpdateAsync(org, Mode.Test, id, new EndpointSpec(Description: "new", Enabled: false), Actor, CancellationToken.None));

        Assert.Null(result.Refusal);
        var stored = (await LoadAsync(id))!;
        Assert.Equal((Url, "new", false), (stored.Url, stored.Description, stored.Enabled));
        Assert.Equal(["note.created"], stored.EventTypes);
        var entry = Assert.Single(await AuditAsync(org), a => a.Action == AuditActions.EndpointUpdated);
        Assert.Equal(["description", "enabled"], entry.Changes.Select(c => c.Field).Order());
    }

    [Fact]
    public async Task An_edit_made_while_the_worker_disables_the_endpoint_keeps_both_changes()
    {
        var org = Ids.New("org");
        var id = (await CreateAsync(org)).Endpoint!.Id;

        // The worker's disable (row-level SQL, as EndpointHealth does it), not yet committed.
        await using var worker = new Npgsql.NpgsqlConnection(WebhookDatabase<EndpointManagerTests>.ConnectionString);
        await worker.OpenAsync();
        var tx = await worker.BeginTransactionAsync();
        await using (var disable = new Npgsql.NpgsqlCommand(
            $"update {db.Store.Options.Schema.For<WebhookEndpoint>()} set data = data || jsonb_build_object('Enabled', false, 'DisabledReason', 'gone') where id = @id",
            worker, tx))
        {
            disable.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await disable.ExecuteNonQueryAsync());
        }

        var edit = CreateEditAsync(id, org);
        // Commit the disable once the edit waits for the worker's row.
        await WaitForALockWaitAsync();
        await tx.CommitAsync();
        Assert.Null((await edit).Refusal);

        var stored = await LoadAsync(id);
        Assert.Equal(("Renamed while failing", false, "gone"), (stored!.Description, stored.Enabled, stored.DisabledReason));
    }

    private async Task WaitForALockWaitAsync()
    {
        var table = db.Store.Options.Schema.For<WebhookEndpoint>().ToString();
        await using var conn = new Npgsql.NpgsqlConnection(WebhookDatabase<EndpointManagerTests>.ConnectionString);
        await conn.OpenAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(20))
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and strpos(query, @table) > 0", conn);
            cmd.Parameters.AddWithValue("table", table);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) return;
            Assert.True(DateTime.UtcNow < deadline, "the edit never waited for the worker's row");
        }
    }

    private Task<EndpointResult> CreateEditAsync(string id, string org) =>
        WithManagerAsync(m => m.UpdateAsync(org, Mode.Test, id, new EndpointSpec(Description: "Renamed while failing"), Actor, CancellationToken.None));
}
