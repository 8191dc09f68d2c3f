using System.Diagnostics;
using System.Text;

namespace Nexus.Bench.Receiver;

/// <summary>
/// The ceiling for webhook delivery on this machine: plain HttpClient POSTs of a payload the size
/// of the benchmark's events, a fixed number in flight, against the same receiver. No database, no
/// signing, no SSRF check: what is left is the HTTP itself, which every delivery also pays. With one
/// in flight it is the plain loop (each POST awaited before the next), the other ceiling reported.
/// </summary>
internal static class CeilingLoop
{
    public static async Task<int> RunAsync(string url, int concurrency, int seconds, int warmup, int bytes)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, MaxConnectionsPerServer = int.MaxValue })
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        var body = Encoding.UTF8.GetBytes("{\"data\":\"" + new string('x', Math.Max(0, bytes - 11)) + "\"}");

        await RunForAsync(client, url, body, concurrency, TimeSpan.FromSeconds(warmup));
        var (ok, errors, elapsed) = await RunForAsync(client, url, body, concurrency, TimeSpan.FromSeconds(seconds));

        Console.WriteLine($"CEILING_RPS={ok / elapsed.TotalSeconds:F0}");
        Console.WriteLine($"CEILING_ERRORS={errors}");
        Console.WriteLine($"CEILING_BYTES={body.Length}");
        return 0;
    }

    private static async Task<(long Ok, long Errors, TimeSpan Elapsed)> RunForAsync(HttpClient client, string url, byte[] body, int concurrency, TimeSpan duration)
    {
        long ok = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/json");
                    using var response = await client.PostAsync(url, content);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                    else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (ok, errors, clock.Elapsed);
    }
}
