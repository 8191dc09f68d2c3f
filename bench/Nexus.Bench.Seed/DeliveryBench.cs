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
    /// Polls the count of succeeded deliveries every 100 ms until all <paramref name="total"/> have
    /// succeeded (or failed), or nothing moved for <paramref name="stallSeconds"/>. The rate is
    /// measured from the first poll that saw a success beyond the <paramref name="from"/> already
    /// there to the one that saw the last, so the worker's start-up (or its idle wait) is not counted.
    /// The worker's resident memory is read when the first success, the half-way mark and the end are seen.
    /// </summary>
    public static async Task<int> WatchAsync(NpgsqlDataSource db, string table, int pid, int total, int stallSeconds, int from)
    {
        await using var query = db.CreateCommand(
            $"select count(*) filter (where status = 'Succeeded'), count(*) filter (where status = 'Failed') from {table}");
        long firstCount = 0, succeeded = from, failed = 0, lastProgress = 0;
        var middle = from + (total - from) / 2;
        TimeSpan first = default, last = default;
        string rssStart = "?", rssMiddle = "?";
        var clock = Stopwatch.StartNew();
        var stalled = false;
        while (succeeded + failed < total)
        {
            await Task.Delay(100);
            await using (var reader = await query.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                var (s, f) = (reader.GetInt64(0), reader.GetInt64(1));
                if (s + f > succeeded + failed) lastProgress = clock.ElapsedMilliseconds;
                if (s > from && succeeded == from) (first, firstCount, rssStart) = (clock.Elapsed, s, Rss(pid, "VmRSS"));
                if (s >= middle && succeeded < middle) rssMiddle = Rss(pid, "VmRSS");
                if (s > succeeded) last = clock.Elapsed;
                (succeeded, failed) = (s, f);
            }
            if (clock.ElapsedMilliseconds - lastProgress > stallSeconds * 1000L || !Alive(pid))
            {
                stalled = true;
                break;
            }
        }

        var seconds = (last - first).TotalSeconds;
        var rate = succeeded > firstCount && seconds > 0 ? (succeeded - firstCount) / seconds : 0;
        Console.WriteLine($"BENCH_DLV_SUCCEEDED={succeeded - from}");
        Console.WriteLine($"BENCH_DLV_FAILED={failed}");
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
