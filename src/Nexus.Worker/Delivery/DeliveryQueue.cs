using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>
/// One delivery held by this worker under <see cref="Token"/> until the lease ends, with what its attempt
/// needs, read by the claim itself: its event (and the event's exact bytes) and its endpoint, each null when gone.
/// </summary>
public sealed record ClaimedDelivery(WebhookDelivery Delivery, Guid Token)
{
    /// <summary>When the claim's lease ends: until then no other worker can take the delivery.</summary>
    public DateTimeOffset LeaseEnds { get; init; }

    public WebhookEvent? Event { get; init; }
    public byte[]? Body { get; init; }
    public WebhookEndpoint? Endpoint { get; init; }
}

/// <summary>How many more deliveries of an endpoint this worker can take now.</summary>
public readonly record struct EndpointRoom(string EndpointId, int Free);

/// <summary>
/// The delivery queue is the deliveries table itself, read and written with raw SQL on Marten's
/// table (the hot path of the worker): a claim is one statement that picks due rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of workers can claim side by side, and leases
/// them by writing a token and the lease's end into the JSON (<see cref="WebhookDelivery.LeaseUntil"/>);
/// the same statement reads each delivery's event and endpoint, so a claim is one round trip. Results
/// are written only under the claim's token, a batch of them in one set-based statement: a worker whose
/// lease ran out (and whose delivery another worker took) records nothing.
/// <para>
/// The claim changes no indexed column (the due time stays where it is), so with the free room the
/// table's fill factor leaves on each page it is a heap-only (HOT) update: no index entry written,
/// where moving <c>next_attempt_at</c> to the lease's end wrote one in each of the table's six indexes.
/// The price: leased rows keep their place at the head of the due index and each claim steps over
/// them, at most as many as all workers hold in flight. Workers built before this lease (which moved
/// <c>next_attempt_at</c> instead) do not look at <c>LeaseUntil</c>: stop them before starting these, or a
/// delivery can go out twice while both run. A row leased by one of them is claimed here once its due time passes.
/// </para>
/// </summary>
public sealed class DeliveryQueue(IDocumentStore store, NpgsqlDataSource db)
{
    private readonly string _table = store.Options.Schema.For<WebhookDelivery>().ToString();
    private readonly string _events = store.Options.Schema.For<WebhookEvent>().ToString();
    private readonly string _endpoints = store.Options.Schema.For<WebhookEndpoint>().ToString();
    private readonly ISerializer _json = store.Options.Serializer();

    /// <summary>How far past the batch size the claim looks for due rows, to find other endpoints behind a busy one.</summary>
    private const int ScanFactor = 4;

    /// <summary>A row whose lease has not ended is held by a worker (alive or not yet known dead); <c>@now</c> is the claim's time.</summary>
    private static string LeaseEnded(string data) => $"({data}->>'LeaseUntil' is null or ({data}->>'LeaseUntil')::timestamptz <= @now)";

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
                    where next_attempt_at <= @now and endpoint_id <> all(@full) and {{LeaseEnded("data")}}
                    order by next_attempt_at limit @scan) w
            ), due as (
              select d.id from {{_table}} d
              join scan on scan.id = d.id
              left join unnest(@busy_ids, @busy_free) as busy(endpoint_id, free) on busy.endpoint_id = scan.endpoint_id
              where scan.rn <= coalesce(busy.free, @per_endpoint) and d.next_attempt_at <= @now and {{LeaseEnded("d.data")}}
              order by scan.next_attempt_at
              limit @count
              for update of d skip locked
            ), claimed as (
              update {{_table}} t
              set mt_last_modified = now(), data = t.data || @lease_json
              from due where t.id = due.id
              returning t.data, t.event_id, t.endpoint_id
            ), firsts as (
              select c.data, c.event_id, c.endpoint_id,
                     row_number() over (partition by c.event_id) = 1 as first_of_event,
                     row_number() over (partition by c.endpoint_id) = 1 as first_of_endpoint
              from claimed c
            )
            select f.data, f.event_id, f.endpoint_id, e.id is not null, e.data, p.id is not null, p.data
            from firsts f
            left join {{_events}} e on f.first_of_event and e.id = f.event_id
            left join {{_endpoints}} p on f.first_of_endpoint and p.id = f.endpoint_id
            """);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("full", busy.Where(b => b.Free <= 0).Select(b => b.EndpointId).ToArray());
        cmd.Parameters.AddWithValue("scan", count * ScanFactor);
        cmd.Parameters.AddWithValue("busy_ids", busy.Select(b => b.EndpointId).ToArray());
        cmd.Parameters.AddWithValue("busy_free", busy.Select(b => b.Free).ToArray());
        cmd.Parameters.AddWithValue("per_endpoint", (long)perEndpoint);
        cmd.Parameters.AddWithValue("count", count);
        cmd.Parameters.Add(new NpgsqlParameter("lease_json", NpgsqlDbType.Jsonb)
        {
            Value = $$"""{"LeaseToken":{{_json.ToJson(token)}},"LeaseUntil":{{_json.ToJson(leaseEnd)}}}""",
        });

        // Each event and endpoint comes once per claim (on the first row that needs it),
        // however many of the claimed deliveries share it: deliveries of one event or one endpoint share one copy.
        var events = new Dictionary<string, (WebhookEvent Event, byte[] Body)?>();
        var endpoints = new Dictionary<string, WebhookEndpoint?>();
        var rows = new List<(WebhookDelivery Delivery, string EventId, string EndpointId)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var (delivery, eventId, endpointId) = (Read<WebhookDelivery>(reader, 0), reader.GetString(1), reader.GetString(2));
                if (reader.GetBoolean(3))
                {
                    var read = Read<WebhookEvent>(reader, 4);
                    events[eventId] = (read, Encoding.UTF8.GetBytes(read.Payload));
                }
                if (reader.GetBoolean(5)) endpoints[endpointId] = Read<WebhookEndpoint>(reader, 6);
                rows.Add((delivery, eventId, endpointId));
            }
        var claimed = new List<ClaimedDelivery>(rows.Count);
        foreach (var (delivery, eventId, endpointId) in rows)
        {
            var evt = events.GetValueOrDefault(eventId);
            claimed.Add(new(delivery, token) { LeaseEnds = leaseEnd, Event = evt?.Event, Body = evt?.Body, Endpoint = endpoints.GetValueOrDefault(endpointId) });
        }
        return claimed;
    }

    /// <summary>Marten's reader overload leaves the column's stream open, which forbids reading the next column.</summary>
    private T Read<T>(NpgsqlDataReader reader, int column)
    {
        using var stream = reader.GetStream(column);
        return _json.FromJson<T>(stream);
    }

    /// <summary>
    /// Writes finished attempts back in one statement. Each result says whether its delivery was
    /// still held under its token (false: the lease was lost and the result discarded).
    /// </summary>
    public async Task<bool[]> RecordAsync(IReadOnlyList<ClaimedDelivery> results, CancellationToken ct)
    {
        var (ids, tokens, data, statuses, next) = (new string[results.Count], new string[results.Count], new string[results.Count],
            new string[results.Count], new DateTimeOffset?[results.Count]);
        for (var i = 0; i < results.Count; i++)
        {
            var (delivery, token) = results[i];
            (delivery.LeaseToken, delivery.LeaseUntil) = (null, null);
            (ids[i], tokens[i], data[i], statuses[i], next[i]) = (delivery.Id, token.ToString(), _json.ToJson(delivery), delivery.Status.ToString(), delivery.NextAttemptAt);
        }
        await using var cmd = db.CreateCommand($$"""
            update {{_table}} t set data = r.data, status = r.status, next_attempt_at = r.next, mt_last_modified = now()
            from unnest(@ids, @tokens, @data, @statuses, @next) as r(id, token, data, status, next)
            where t.id = r.id and t.data->>'LeaseToken' = r.token
            returning t.id, r.token
            """);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("tokens", tokens);
        cmd.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = data });
        cmd.Parameters.AddWithValue("statuses", statuses);
        cmd.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = next });
        var recorded = new HashSet<(string, string)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) recorded.Add((reader.GetString(0), reader.GetString(1)));
        return Enumerable.Range(0, results.Count).Select(i => recorded.Contains((ids[i], tokens[i]))).ToArray();
    }

    /// <summary>
    /// Gives a claimed delivery back without recording an attempt (graceful shutdown): the lease is cleared, and the
    /// delivery, whose due time the claim left alone, is due at once again (a heap-only update, like the claim).
    /// </summary>
    public async Task<bool> ReleaseAsync(ClaimedDelivery claimed, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($$"""
            update {{_table}}
            set mt_last_modified = now(), data = data || '{"LeaseToken":null,"LeaseUntil":null}'::jsonb
            where id = @id and data->>'LeaseToken' = @token
            """);
        cmd.Parameters.AddWithValue("id", claimed.Delivery.Id);
        cmd.Parameters.AddWithValue("token", claimed.Token.ToString());
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
