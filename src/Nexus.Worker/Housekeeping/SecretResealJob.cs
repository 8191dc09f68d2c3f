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
/// previous key (webhook endpoints' signing secrets, current and previous, and the dashboard's key
/// ring) is sealed again under the current one. Runs when the worker starts and every hour; with
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

    /// <summary>Runs between reading an endpoint and writing it back (tests: a change made meanwhile).</summary>
    internal Func<string, Task>? BeforeWrite { get; init; }

    /// <summary>What a run did: rows re-sealed, and rows holding a secret no configured key opens.</summary>
    public sealed record Result(int Endpoints, int KeyRingKeys, IReadOnlyList<string> Unopenable);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var result = await ResealAsync(cancellationToken);
        // A run goes through everything, so once it has re-sealed and found nothing it could not open, the rotation is done.
        if (result.Endpoints + result.KeyRingKeys > 0)
            log.LogInformation("Re-sealed {Endpoints} webhook endpoints' secrets and {Keys} key-ring keys under key {KeyId}{Done}",
                result.Endpoints, result.KeyRingKeys, box.CurrentKeyId,
                result.Unopenable.Count == 0 ? "; nothing stored is sealed under a previous key any more" : "");
        if (result.Unopenable.Count > 0)
            log.LogError("{Count} stored secrets open with none of the configured keys (add the key that sealed them to {Setting}): {Ids}",
                result.Unopenable.Count, SecretBox.PreviousKeysConfigKey, string.Join(", ", result.Unopenable));
    }

    public async Task<Result> ResealAsync(CancellationToken ct)
    {
        var unopenable = new List<string>();
        var endpoints = await ResealEndpointsAsync(unopenable, ct);
        var keys = await ResealKeyRingAsync(unopenable, ct);
        return new(endpoints, keys, unopenable);
    }

    private async Task<int> ResealEndpointsAsync(List<string> unopenable, CancellationToken ct)
    {
        var (done, after) = (0, "");
        while (true)
        {
            var rows = new List<(string Id, string Secret, string? Previous)>();
            await using (var select = db.CreateCommand($"""
                select id, data->>'SecretCiphertext', data->>'PreviousSecretCiphertext' from {_endpoints}
                where id > @after and (data->>'SecretCiphertext' not like @sealed
                                       or data->>'PreviousSecretCiphertext' not like @sealed)
                order by id limit @batch
                """))
            {
                select.Parameters.AddWithValue("after", after);
                select.Parameters.AddWithValue("sealed", SealedPattern);
                select.Parameters.AddWithValue("batch", BatchSize);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
            foreach (var (id, secret, previous) in rows)
            {
                if (!TryReseal(secret, id, unopenable, out var newSecret)) continue;
                string? newPrevious = null;
                if (previous is not null && !TryReseal(previous, id, unopenable, out newPrevious)) continue;
                if (BeforeWrite is not null) await BeforeWrite(id);
                await using var update = db.CreateCommand($"""
                    update {_endpoints}
                    set data = data || jsonb_build_object('SecretCiphertext', @secret::text, 'PreviousSecretCiphertext', @previous::text), mt_last_modified = now()
                    where id = @id and data->>'SecretCiphertext' = @old_secret and (data->>'PreviousSecretCiphertext') is not distinct from @old_previous
                    """);
                update.Parameters.AddWithValue("id", id);
                update.Parameters.AddWithValue("secret", newSecret);
                update.Parameters.AddWithValue("previous", (object?)newPrevious ?? DBNull.Value);
                update.Parameters.AddWithValue("old_secret", secret);
                update.Parameters.AddWithValue("old_previous", NpgsqlTypes.NpgsqlDbType.Text, (object?)previous ?? DBNull.Value);
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
