using System.Diagnostics;
using System.Globalization;
using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Bench.Seed;

/// <summary>
/// The database side of the delivery benchmark (bench/deliveries.sh): seeds pending deliveries
/// the way the outbox queues them, then watches one worker drain them, timing first to last
/// success and sampling the worker's memory.
/// </summary>
internal static class DeliveryBench
{
    /// <summary>
    /// An org with <paramref name="endpointCount"/> endpoints at the receiver, and events fanned out
    /// to all of them until there are exactly <paramref name="count"/> pending deliveries, all due now.
    /// </summary>
    public static async Task SeedAsync(IDocumentStore store, SecretBox secrets, int count, int endpointCount, string receiverUrl)
    {
        var clock = TimeProvider.System;
        var now = clock.GetUtcNow();
        var org = new Organization { Id = Ids.New("org"), Name = "Bench deliveries", Plan = Plan.Pro, CreatedAt = now };
        var endpoints = Enumerable.Range(0, endpointCount).Select(i => new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix), OrgId = org.Id, Mode = Mode.Live, Url = $"{receiverUrl.TrimEnd('/')}/hooks/{i}",
            Description = $"bench receiver {i}", SecretCiphertext = secrets.Encrypt(WebhookSigner.NewSecret()), CreatedAt = now, UpdatedAt = now,
        }).ToList();

        var data = EventCatalog.Find(EventCatalog.NoteCreated)!.ExampleData;
        var events = new List<WebhookEvent>();
        var deliveries = new List<WebhookDelivery>(count);
        while (deliveries.Count < count)
        {
            var evt = EventOutbox.NewEvent(org.Id, Mode.Live, EventCatalog.NoteCreated, data, null, clock);
            foreach (var endpoint in endpoints.Take(count - deliveries.Count))
            {
                deliveries.Add(new WebhookDelivery
                {
                    Id = Ids.New(WebhookDelivery.IdPrefix), OrgId = org.Id, Mode = Mode.Live, EndpointId = endpoint.Id, EventId = evt.Id,
                    EventType = evt.Type, Trigger = DeliveryTriggers.Event, Status = DeliveryStatus.Pending, NextAttemptAt = now,
                    CreatedAt = now, UpdatedAt = now,
                });
                evt.EndpointCount++;
            }
            events.Add(evt);
        }

        await using (var session = store.LightweightSession())
        {
            session.Store(org);
            session.Store(endpoints.ToArray());
            await session.SaveChangesAsync();
        }
        await store.BulkInsertDocumentsAsync(events);
        await store.BulkInsertDocumentsAsync(deliveries);
        Console.WriteLine($"BENCH_DLV_ORG_ID={org.Id}");
        Console.WriteLine($"BENCH_DLV_PAYLOAD_BYTES={System.Text.Encoding.UTF8.GetByteCount(events[0].Payload)}");
    }

    /// <summary>
    /// Times worker <paramref name="pid"/> draining the pending deliveries: <paramref name="total"/> succeeded
    /// in all, <paramref name="from"/> of them before it started. Progress is read every 50 ms from the
    /// receiver's count of POSTs above <paramref name="receivedBefore"/> (its count before these were seeded:
    /// a warm worker starts on them as soon as they are committed), which costs the machine next to nothing;
    /// the database is asked only once the receiver has had them all, until no delivery is left pending (its
    /// result recorded), and that answer ends the timing. (Counting succeeded rows in the table every 100 ms,
    /// as this did before, is a parallel scan of the whole table: it took a good part of both cores from the
    /// worker it was timing.) The rate is measured from the first poll that saw a POST to the end, so the
    /// worker's start-up (or its idle wait) is not counted; the worker's resident memory is read at the first
    /// POST, half-way and the end.
    /// </summary>
    public static async Task<int> WatchAsync(NpgsqlDataSource db, string table, string receiverUrl, long receivedBefore, int pid, int total, int stallSeconds, int from)
    {
        using var receiver = new HttpClient { BaseAddress = new Uri(receiverUrl) };
        async Task<long> Received() => long.Parse(await receiver.GetStringAsync("/count"), CultureInfo.InvariantCulture);
        // next_attempt_at is set while a delivery is pending (and cleared when it succeeds or fails for good),
        // and status 'Failed' has a partial index: both counts are cheap once the work is done.
        async Task<long> Count(string where)
        {
            await using var query = db.CreateCommand($"select count(*) from {table} where {where}");
            return (long)(await query.ExecuteScalarAsync())!;
        }

        var expected = total - from;
        var failedBefore = await Count("status = 'Failed'");
        long seen = 0, firstCount = 0, lastProgress = 0;
        TimeSpan first = default, last = default;
        string rssStart = "?", rssMiddle = "?";
        var clock = Stopwatch.StartNew();
        var stalled = false;
        while (true)
        {
            await Task.Delay(50);
            var got = await Received() - receivedBefore;
            if (got > seen) lastProgress = clock.ElapsedMilliseconds;
            if (got > 0 && seen == 0) (first, firstCount, rssStart) = (clock.Elapsed, got, Rss(pid, "VmRSS"));
            if (got >= expected / 2 && seen < expected / 2) rssMiddle = Rss(pid, "VmRSS");
            seen = got;
            if (got >= expected && await Count("next_attempt_at is not null") == 0)
            {
                last = clock.Elapsed;
                break;
            }
            if (clock.ElapsedMilliseconds - lastProgress > stallSeconds * 1000L || !Alive(pid))
            {
                stalled = true;
                break;
            }
        }

        var succeeded = await Count("status = 'Succeeded'") - from;
        var seconds = (last - first).TotalSeconds;
        var rate = !stalled && seconds > 0 ? (succeeded - firstCount) / seconds : 0;
        Console.WriteLine($"BENCH_DLV_SUCCEEDED={succeeded}");
        Console.WriteLine($"BENCH_DLV_FAILED={await Count("status = 'Failed'") - failedBefore}");
        Console.WriteLine($"BENCH_DLV_STALLED={(stalled ? 1 : 0)}");
        Console.WriteLine($"BENCH_DLV_RPS={rate.ToString("F0", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"BENCH_DLV_SECONDS={seconds.ToString("F1", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"BENCH_DLV_RSS_START={rssStart}");
        Console.WriteLine($"BENCH_DLV_RSS_MIDDLE={rssMiddle}");
        Console.WriteLine($"BENCH_DLV_RSS_END={Rss(pid, "VmRSS")}");
        Console.WriteLine($"BENCH_DLV_RSS_PEAK={Rss(pid, "VmHWM")}");
        return 0;
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/status");

    /// <summary>A memory figure of a process in MiB, from /proc/&lt;pid&gt;/status ("?" when the process is gone).</summary>
    private static string Rss(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            if (line is null) return "?";
            var kib = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return (kib / 1024.0).ToString("F0", CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
