using System.Security.Cryptography;
using System.Xml.Linq;
using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;
using Quartz;

namespace Nexus.Worker.Housekeeping;

/// <summary>
/// Finishes a rotation of the secret key (<see cref="SecretBox"/>): whatever is still sealed under a
/// previous key (webhook endpoints' signing secrets, current and previous, the dashboard's key
/// ring, and users' TOTP secrets, enabled or being set up) is sealed again under the current one. Runs when the worker starts and every hour; with
/// nothing left to do it is one small query per table. Each row is written only if it still holds
/// what was read, so an endpoint whose secret is rotated meanwhile keeps its new secret. A secret
/// that opens with none of the configured keys is left as it is and logged (by id, never the secret).
/// </summary>
[DisallowConcurrentExecution]
public sealed class SecretResealJob(IDocumentStore store, NpgsqlDataSource db, SecretBox box, ILogger<SecretResealJob> log) : IJob
{
    public static readonly JobKey Key = new("secret-reseal");
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public const int BatchSize = 500;

    private readonly string _endpoints = store.Options.Schema.For<WebhookEndpoint>().ToString();
    private readonly string _keyRing = store.Options.Schema.For<DataProtectionKeyDocument>().ToString();
    private readonly string _users = store.Options.Schema.For<User>().ToString();

    /// <summary>Runs between reading an endpoint and writing it back (tests: a change made meanwhile).</summary>
    internal Func<string, Task>? BeforeWrite { get; init; }

    /// <summary>What a run did: rows re-sealed, and rows holding a secret no configured key opens.</summary>
    public sealed record Result(int Endpoints, int KeyRingKeys, int TotpSecrets, IReadOnlyList<string> Unopenable);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await ResealAsync(cancellationToken);
        // A run goes through everything, so once it has re-sealed and found nothing it could not open, the rotation is done.
        if (result.Endpoints + result.KeyRingKeys + result.TotpSecrets > 0)
            log.LogInformation("Re-sealed {Endpoints} webhook endpoints' secrets, {Keys} key-ring keys and {Users} users' authenticator secrets under key {KeyId}{Done}",
                result.Endpoints, result.KeyRingKeys, result.TotpSecrets, box.CurrentKeyId,
                result.Unopenable.Count == 0 ? "; nothing stored is sealed under a previous key any more" : "");
        if (result.Unopenable.Count > 0)
            log.LogError("{Count} stored secrets open with none of the configured keys (add the key that sealed them to {Setting}): {Ids}",
                result.Unopenable.Count, SecretBox.PreviousKeysConfigKey, string.Join(", ", result.Unopenable));
    }

    public async Task<Result> ResealAsync(CancellationToken ct)
    {
        var unopenable = new List<string>();
        var endpoints = await ResealFieldsAsync(_endpoints, nameof(WebhookEndpoint.SecretCiphertext), nameof(WebhookEndpoint.PreviousSecretCiphertext), unopenable, ct);
        var keys = await ResealKeyRingAsync(unopenable, ct);
        var users = await ResealFieldsAsync(_users, nameof(User.TotpSecret), nameof(User.PendingTotpSecret), unopenable, ct);
        return new(endpoints, keys, users, unopenable);
    }

    /// <summary>
    /// Re-seals two sealed text fields (either may be null) of every document in <paramref name="table"/>
    /// that holds one not sealed under the current key; a row is written only if both still hold what was read.
    /// </summary>
    private async Task<int> ResealFieldsAsync(string table, string first, string second, List<string> unopenable, CancellationToken ct)
    {
        var (done, after) = (0, "");
        while (true)
        {
            var rows = new List<(string Id, string? First, string? Second)>();
            await using (var select = db.CreateCommand($"""
                select id, data->>'{first}', data->>'{second}' from {table}
                where id > @after and ((data->>'{first}') not like @sealed or (data->>'{second}') not like @sealed)
                order by id limit @batch
                """))
            {
                select.Parameters.AddWithValue("after", after);
                select.Parameters.AddWithValue("sealed", SealedPattern);
                select.Parameters.AddWithValue("batch", BatchSize);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
            foreach (var (id, oldFirst, oldSecond) in rows)
            {
                string? newFirst = null, newSecond = null;
                if (oldFirst is not null && !TryReseal(oldFirst, id, unopenable, out newFirst)) continue;
                if (oldSecond is not null && !TryReseal(oldSecond, id, unopenable, out newSecond)) continue;
                if (BeforeWrite is not null) await BeforeWrite(id);
                await using var update = db.CreateCommand($"""
                    update {table}
                    set data = data || jsonb_build_object('{first}', @first::text, '{second}', @second::text), mt_last_modified = now()
                    where id = @id and (data->>'{first}') is not distinct from @old_first and (data->>'{second}') is not distinct from @old_second
                    """);
                update.Parameters.AddWithValue("id", id);
                update.Parameters.AddWithValue("first", NpgsqlTypes.NpgsqlDbType.Text, (object?)newFirst ?? DBNull.Value);
                update.Parameters.AddWithValue("second", NpgsqlTypes.NpgsqlDbType.Text, (object?)newSecond ?? DBNull.Value);
                update.Parameters.AddWithValue("old_first", NpgsqlTypes.NpgsqlDbType.Text, (object?)oldFirst ?? DBNull.Value);
                update.Parameters.AddWithValue("old_second", NpgsqlTypes.NpgsqlDbType.Text, (object?)oldSecond ?? DBNull.Value);
                done += await update.ExecuteNonQueryAsync(ct);
            }
            if (rows.Count < BatchSize) return done;
            after = rows[^1].Id;
        }
    }

    private async Task<int> ResealKeyRingAsync(List<string> unopenable, CancellationToken ct)
    {
        var rows = new List<(string Id, string Xml)>();
        await using (var select = db.CreateCommand($"select id, data->>'Xml' from {_keyRing}"))
        await using (var reader = await select.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.GetString(1)));

        var done = 0;
        foreach (var (id, xml) in rows)
        {
            var root = XElement.Parse(xml);
            var stale = root.Descendants(DataProtectionKeyDocument.SealedElement).Where(e => !box.IsSealedWithCurrentKey(e.Value)).ToList();
            if (stale.Count == 0) continue;
            var opened = true;
            foreach (var element in stale)
                if (TryReseal(element.Value, id, unopenable, out var resealed)) element.Value = resealed;
                else opened = false;
            if (!opened) continue;
            await using var update = db.CreateCommand($"""
                update {_keyRing} set data = data || jsonb_build_object('Xml', @xml::text), mt_last_modified = now()
                where id = @id and data->>'Xml' = @old
                """);
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("xml", root.ToString(SaveOptions.DisableFormatting));
            update.Parameters.AddWithValue("old", xml);
            done += await update.ExecuteNonQueryAsync(ct);
        }
        return done;
    }

    /// <summary>LIKE pattern of what the current key sealed (hex digits and dots: nothing to escape).</summary>
    private string SealedPattern => box.CurrentPrefix + "%";

    private bool TryReseal(string stored, string id, List<string> unopenable, out string resealed)
    {
        if (box.IsSealedWithCurrentKey(stored))
        {
            resealed = stored;
            return true;
        }
        try
        {
            resealed = box.Reseal(stored);
            return true;
        }
        catch (CryptographicException)
        {
            if (!unopenable.Contains(id)) unopenable.Add(id);
            resealed = stored;
            return false;
        }
    }
}
