using Marten;
using Npgsql;
using NpgsqlTypes;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>One delivery held by this worker under <see cref="Token"/> until the lease ends.</summary>
public sealed record ClaimedDelivery(WebhookDelivery Delivery, Guid Token);

/// <summary>How many more deliveries of an endpoint this worker can take now.</summary>
public readonly record struct EndpointRoom(string EndpointId, int Free);

/// <summary>
/// The delivery queue is the deliveries table itself, read and written with raw SQL on Marten's
/// table (the hot path of the worker): a claim is one statement that picks due rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of workers can claim side by side, and leases
/// them by moving their due time to the lease's end. Results are written only under the claim's
/// token: a worker whose lease ran out (and whose delivery another worker took) records nothing.
/// </summary>
public sealed class DeliveryQueue(IDocumentStore store, NpgsqlDataSource db)
{
    private readonly string _table = store.Options.Schema.For<WebhookDelivery>().ToString();
    private readonly ISerializer _json = store.Options.Serializer();

    /// <summary>How far past the batch size the claim looks for due rows, to find other endpoints behind a busy one.</summary>
    private const int ScanFactor = 4;

    /// <summary>
    /// Claims up to <paramref name="count"/> due deliveries, at most <paramref name="perEndpoint"/>
    /// per endpoint and, for endpoints this worker is already busy with, at most their room.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int count, int perEndpoint, IReadOnlyCollection<EndpointRoom> busy,
        TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var leaseEnd = now + lease;
        await using var cmd = db.CreateCommand($$"""
            with scan as (
              select w.id, w.endpoint_id, w.next_attempt_at,
                     row_number() over (partition by w.endpoint_id order by w.next_attempt_at, w.id) as rn
              from (select id, endpoint_id, next_attempt_at from {{_table}}
                    where next_attempt_at <= @now and endpoint_id <> all(@full)
                    order by next_attempt_at limit @scan) w
            ), due as (
              select d.id from {{_table}} d
              join scan on scan.id = d.id
              left join unnest(@busy_ids, @busy_free) as busy(endpoint_id, free) on busy.endpoint_id = scan.endpoint_id
              where scan.rn <= coalesce(busy.free, @per_endpoint) and d.next_attempt_at <= @now
              order by scan.next_attempt_at
              limit @count
              for update of d skip locked
            )
            update {{_table}} t
            set next_attempt_at = @lease_end, mt_last_modified = now(),
                data = jsonb_set(jsonb_set(t.data, '{LeaseToken}', @token_json), '{NextAttemptAt}', @lease_end_json)
            from due where t.id = due.id
            returning t.data
            """);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("full", busy.Where(b => b.Free <= 0).Select(b => b.EndpointId).ToArray());
        cmd.Parameters.AddWithValue("scan", count * ScanFactor);
        cmd.Parameters.AddWithValue("busy_ids", busy.Select(b => b.EndpointId).ToArray());
        cmd.Parameters.AddWithValue("busy_free", busy.Select(b => b.Free).ToArray());
        cmd.Parameters.AddWithValue("per_endpoint", (long)perEndpoint);
        cmd.Parameters.AddWithValue("count", count);
        cmd.Parameters.AddWithValue("lease_end", leaseEnd);
        cmd.Parameters.Add(new NpgsqlParameter("token_json", NpgsqlDbType.Jsonb) { Value = _json.ToJson(token) });
        cmd.Parameters.Add(new NpgsqlParameter("lease_end_json", NpgsqlDbType.Jsonb) { Value = _json.ToJson(leaseEnd) });

        var claimed = new List<ClaimedDelivery>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) claimed.Add(new(_json.FromJson<WebhookDelivery>(reader, 0), token));
        return claimed;
    }

    /// <summary>
    /// Writes finished attempts back in one round trip. Each result says whether its delivery was
    /// still held under its token (false: the lease was lost and the result discarded).
    /// </summary>
    public async Task<bool[]> RecordAsync(IReadOnlyList<ClaimedDelivery> results, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var (delivery, token) in results)
        {
            delivery.LeaseToken = null;
            var command = new NpgsqlBatchCommand($$"""
                update {{_table}} set data = @data, status = @status, next_attempt_at = @next, mt_last_modified = now()
                where id = @id and data->>'LeaseToken' = @token
                """);
            command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = _json.ToJson(delivery) });
            command.Parameters.AddWithValue("status", delivery.Status.ToString());
            command.Parameters.AddWithValue("next", NpgsqlDbType.TimestampTz, (object?)delivery.NextAttemptAt ?? DBNull.Value);
            command.Parameters.AddWithValue("id", delivery.Id);
            command.Parameters.AddWithValue("token", token.ToString());
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
        return batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.RecordsAffected == 1).ToArray();
    }

    /// <summary>Gives a claimed delivery back, due at once, without recording an attempt (graceful shutdown).</summary>
    public async Task<bool> ReleaseAsync(ClaimedDelivery claimed, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($$"""
            update {{_table}}
            set next_attempt_at = @now, mt_last_modified = now(),
                data = jsonb_set(jsonb_set(data, '{LeaseToken}', 'null'::jsonb), '{NextAttemptAt}', @now_json)
            where id = @id and data->>'LeaseToken' = @token
            """);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.Add(new NpgsqlParameter("now_json", NpgsqlDbType.Jsonb) { Value = _json.ToJson(now) });
        cmd.Parameters.AddWithValue("id", claimed.Delivery.Id);
        cmd.Parameters.AddWithValue("token", claimed.Token.ToString());
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
