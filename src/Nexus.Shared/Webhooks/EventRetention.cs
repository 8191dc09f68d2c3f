using System.Globalization;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// How long events are kept, with their deliveries: a deployment setting
/// (<see cref="DaysSetting"/>), unset by default, which keeps them forever. Once it is set, the
/// worker deletes every event older than that whose deliveries have all finished (succeeded or
/// dead-lettered), together with those deliveries, a batch at a time. An event with a delivery
/// still pending stays until the delivery finishes: retention never drops a message on its way.
/// </summary>
public static class EventRetention
{
    public const string DaysSetting = "Nexus:Webhooks:EventRetentionDays";
    public const int MaxDays = 3650;

    /// <summary>
    /// The retention <paramref name="config"/> sets, or null to keep events forever. Anything but a
    /// whole number of days from 1 to <see cref="MaxDays"/> is refused, so the worker does not start
    /// with a retention nobody meant.
    /// </summary>
    public static TimeSpan? From(IConfiguration config)
    {
        var text = config[DaysSetting];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > MaxDays)
            throw new InvalidOperationException(
                $"{DaysSetting} must be a whole number of days from 1 to {MaxDays}, or unset to keep events forever; it is \"{text}\".");
        return TimeSpan.FromDays(days);
    }

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> events made before <paramref name="cutoff"/>, oldest
    /// first, with their deliveries, in one transaction; returns how many events went. Ids sort by
    /// creation, so the events are found on the primary key (<see cref="Ids.Floor"/>) and their
    /// deliveries on the event_id index.
    /// Three things can make a finished delivery due again while this runs, and none is lost:
    /// - a replay locks its event first; a locked event is skipped here (and a replay waiting on one
    ///   this deletes finds it gone: 404);
    /// - a retry locks its delivery first; this locks every delivery of the chosen events, which reads
    ///   each as its writer committed it, so an event with one made pending meanwhile stays;
    /// - a retry of an endpoint's failed deliveries locks them and reads them again, so one deleted
    ///   here meanwhile is not written back without its event.
    /// </summary>
    public static async Task<int> DeleteBatchAsync(IDocumentStore store, NpgsqlDataSource db, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var events = store.Options.Schema.For<WebhookEvent>();
        var deliveries = store.Options.Schema.For<WebhookDelivery>();
        const string pending = nameof(DeliveryStatus.Pending);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var chosen = (await ReadRowsAsync(conn, tx, $"""
            select e.id from {events} e
            where e.id < @before
              and not exists (select 1 from {deliveries} d where d.event_id = e.id and d.status = '{pending}')
            order by e.id
            limit @batch
            for update of e skip locked
            """, ct, ("before", Ids.Floor(WebhookEvent.IdPrefix, cutoff)), ("batch", batchSize))).Select(row => row.Id).ToList();
        if (chosen.Count == 0) return 0;

        // Every delivery of the chosen events is locked, not only those pending in this statement's
        // snapshot: a retry in progress is changing a finished one to pending, and locking waits for it,
        // then reads the row as it committed. Only a replay adds deliveries, and it holds its event's lock.
        // In id order, as retrying an endpoint's failed deliveries locks them (SessionLocks.LockRowsAsync):
        // two transactions locking overlapping rows in different orders could deadlock.
        var stillPending = (await ReadRowsAsync(conn, tx,
                $"select event_id, status from {deliveries} where event_id = any(@events) order by id for update",
                ct, ("events", chosen.ToArray())))
            .Where(row => row.Status == pending).Select(row => row.Id).ToHashSet();
        var doomed = chosen.Except(stillPending).ToArray();
        if (doomed.Length > 0)
        {
            await using var delete = new NpgsqlCommand(
                $"delete from {deliveries} where event_id = any(@events); delete from {events} where id = any(@events)", conn, tx);
            delete.Parameters.AddWithValue("events", doomed);
            await delete.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return doomed.Length;
    }

    /// <summary>Runs <paramref name="sql"/>; returns its rows' first column and, when it has one, its second.</summary>
    private static async Task<List<(string Id, string? Status)>> ReadRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        var rows = new List<(string, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.FieldCount > 1 ? reader.GetString(1) : null));
        return rows;
    }
}

/// <summary>
/// The deployment's event retention, read once at start-up by the web app and the worker alike
/// (<see cref="WebhookSetup"/>), so a value nobody meant stops either process before it serves.
/// </summary>
public sealed record EventRetentionPolicy(TimeSpan? KeepFor)
{
    /// <summary>Whole days, or null when events are kept forever.</summary>
    public int? Days => KeepFor is { } keepFor ? (int)keepFor.TotalDays : null;
}
