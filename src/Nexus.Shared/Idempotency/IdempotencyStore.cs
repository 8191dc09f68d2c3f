using System.Text.Json;
using Marten;
using Npgsql;
using Nexus.Shared.Common;

namespace Nexus.Shared.Idempotency;

/// <summary>A stored response, replayed for a retry with the same key and parameters.</summary>
public sealed record StoredResponse(int StatusCode, Dictionary<string, string> Headers, byte[] Body);

/// <summary>What a request with an idempotency key should do.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>This request runs; it holds the key until <see cref="IdempotencyStore.Claim.CompleteAsync"/> or disposal (which releases it).</summary>
    public sealed record Owned(IdempotencyStore.Claim Claim) : IdempotencyClaim;

    /// <summary>The key already ran with these parameters: replay its response.</summary>
    public sealed record Replay(StoredResponse Response) : IdempotencyClaim;

    /// <summary>The key already ran with other parameters.</summary>
    public sealed record Reused : IdempotencyClaim;

    /// <summary>A request with the key is still running (longer than the wait allows).</summary>
    public sealed record InProgress : IdempotencyClaim;
}

/// <summary>
/// Idempotency keys, per org and mode, kept for <see cref="Lifetime"/>. The first request with a
/// key inserts its row inside a transaction that stays open while the request runs and commits
/// together with the stored response. A concurrent request with the same key blocks in
/// PostgreSQL on that uncommitted insert (up to the wait given; longer is "in progress") and then
/// sees the finished row and replays it, so 100 simultaneous retries run the operation once and
/// all get the same answer, across any number of web nodes. If the first request fails with a
/// 5xx or its process dies, its transaction rolls back and the key is free again.
/// </summary>
public sealed class IdempotencyStore(IDocumentStore store, NpgsqlDataSource db)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public const int MaxKeyLength = 255;

    private string Table => $"{store.Options.DatabaseSchemaName}.{IdempotencyTable.TableName}";

    public async Task<IdempotencyClaim> ClaimAsync(string orgId, Mode mode, string key, byte[] fingerprint, DateTimeOffset now, TimeSpan wait, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(IdempotencyTable), ct);
        var connection = await db.OpenConnectionAsync(ct);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(ct);
            await using (var timeout = new NpgsqlCommand($"set local lock_timeout = {Math.Max(1, (int)wait.TotalMilliseconds)}", connection, tx))
                await timeout.ExecuteNonQueryAsync(ct);

            // Inserts, or takes over a row that has expired; returns nothing when a live row exists.
            await using var insert = new NpgsqlCommand($"""
                insert into {Table} as t (org_id, mode, key, fingerprint, created_at, expires_at)
                values (@org, @mode, @key, @fingerprint, @now, @expires)
                on conflict (org_id, mode, key) do update
                    set fingerprint = excluded.fingerprint, status_code = null, headers = null, body = null,
                        created_at = excluded.created_at, expires_at = excluded.expires_at
                    where t.expires_at <= @now
                returning 1
                """, connection, tx);
            insert.Parameters.AddWithValue("org", orgId);
            insert.Parameters.AddWithValue("mode", mode.ToWire());
            insert.Parameters.AddWithValue("key", key);
            insert.Parameters.AddWithValue("fingerprint", fingerprint);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("expires", now + Lifetime);
            try
            {
                if (await insert.ExecuteScalarAsync(ct) is not null)
                {
                    var claim = new Claim(connection, tx, Table, orgId, mode, key);
                    connection = null;
                    tx = null;
                    return new IdempotencyClaim.Owned(claim);
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                return new IdempotencyClaim.InProgress();
            }

            await using var select = new NpgsqlCommand($"select fingerprint, status_code, headers, body from {Table} where org_id = @org and mode = @mode and key = @key",
                connection, tx);
            select.Parameters.AddWithValue("org", orgId);
            select.Parameters.AddWithValue("mode", mode.ToWire());
            select.Parameters.AddWithValue("key", key);
            await using var reader = await select.ExecuteReaderAsync(ct);
            // The row was there a moment ago and is committed (finished) or would have blocked us.
            if (!await reader.ReadAsync(ct)) return new IdempotencyClaim.InProgress();
            if (!((byte[])reader[0]).AsSpan().SequenceEqual(fingerprint)) return new IdempotencyClaim.Reused();
            if (reader.IsDBNull(1)) return new IdempotencyClaim.InProgress();
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
            return new IdempotencyClaim.Replay(new StoredResponse(reader.GetInt32(1), headers, (byte[])reader[3]));
        }
        finally
        {
            if (tx is not null) await tx.DisposeAsync();
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>Deletes at most <paramref name="batchSize"/> expired keys; returns how many went.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(IdempotencyTable), ct);
        await using var cmd = db.CreateCommand($"delete from {Table} where ctid in (select ctid from {Table} where expires_at <= $1 limit $2)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A key held by the running request. Dispose without completing to release it (nothing is stored).</summary>
    public sealed class Claim(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string orgId, Mode mode, string key) : IAsyncDisposable
    {
        private bool _completed;

        /// <summary>Stores the response and commits, which releases waiting retries to replay it.</summary>
        public async Task CompleteAsync(StoredResponse response, CancellationToken ct)
        {
            await using var update = new NpgsqlCommand(
                $"update {table} set status_code = @status, headers = @headers::jsonb, body = @body where org_id = @org and mode = @mode and key = @key",
                connection, tx);
            update.Parameters.AddWithValue("status", response.StatusCode);
            update.Parameters.AddWithValue("headers", JsonSerializer.Serialize(response.Headers));
            update.Parameters.AddWithValue("body", response.Body);
            update.Parameters.AddWithValue("org", orgId);
            update.Parameters.AddWithValue("mode", mode.ToWire());
            update.Parameters.AddWithValue("key", key);
            await update.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            _completed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_completed)
            {
                try { await tx.RollbackAsync(); }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { /* the connection is gone: PostgreSQL rolled back already */ }
            }
            await tx.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
