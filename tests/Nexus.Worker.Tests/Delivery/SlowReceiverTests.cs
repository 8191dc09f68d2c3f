using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Delivery;

/// <summary>
/// Receivers that never answer, stall, trickle or send far too much cost one bounded attempt
/// (timeout 2 s here), store at most 20 KB, and never hold up other endpoints.
/// </summary>
public sealed class SlowReceiverTests(DeliveryWorld<SlowReceiverTests> world) : IClassFixture<DeliveryWorld<SlowReceiverTests>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_receiver_that_never_answers_is_a_timeout_after_the_configured_time()
    {
        var attempt = await AttemptAgainstAsync(async c => await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted));

        Assert.Equal((DeliveryErrors.Timeout, (int?)null), (attempt.ErrorCode, attempt.StatusCode));
        Assert.InRange(attempt.DurationMs, Timeout.TotalMilliseconds - 100, Timeout.TotalMilliseconds + 1500);
    }

    [Fact]
    public async Task A_receiver_that_stalls_after_the_headers_ends_at_the_timeout_and_its_status_counts()
    {
        var attempt = await AttemptAgainstAsync(async c =>
        {
            c.Response.StatusCode = 503;
            await c.Response.WriteAsync("partial");
            await c.Response.Body.FlushAsync();
            await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted);
        });

        Assert.Equal((DeliveryErrors.HttpStatus, (int?)503, "partial"), (attempt.ErrorCode, attempt.StatusCode, attempt.ResponseBody));
        Assert.Contains("within the timeout", attempt.Error);
        Assert.InRange(attempt.DurationMs, Timeout.TotalMilliseconds - 100, Timeout.TotalMilliseconds + 1500);
    }

    [Fact]
    public async Task A_receiver_that_trickles_a_byte_at_a_time_ends_at_the_timeout()
    {
        var attempt = await AttemptAgainstAsync(async c =>
        {
            c.Response.StatusCode = 200;
            while (!c.RequestAborted.IsCancellationRequested)
            {
                await c.Response.Body.WriteAsync("x"u8.ToArray(), c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
                await Task.Delay(100, c.RequestAborted);
            }
        });

        // The receiver said 200 before it started trickling: the delivery succeeded; the rest of its body is not waited for.
        Assert.True(attempt.Succeeded);
        Assert.InRange(attempt.DurationMs, Timeout.TotalMilliseconds - 100, Timeout.TotalMilliseconds + 1500);
        Assert.InRange(attempt.ResponseBody!.Length, 5, 40);
        Assert.NotNull(attempt.Error);
    }

    [Fact]
    public async Task A_huge_body_is_cut_at_20_KB_without_reading_the_rest()
    {
        long sent = 0;
        var attempt = await AttemptAgainstAsync(async c =>
        {
            c.Response.StatusCode = 500;
            c.Response.ContentLength = 1L << 30;
            var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            // Counted only while the transport takes the bytes: once the worker has closed the connection,
            // Kestrel discards further writes (at memory speed) and reports its output completed.
            while (sent < 1L << 30 && !c.RequestAborted.IsCancellationRequested)
            {
                var flushed = await c.Response.BodyWriter.WriteAsync(chunk, c.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled) break;
                Interlocked.Add(ref sent, chunk.Length);
            }
        });

        Assert.Equal((DeliveryErrors.HttpStatus, (int?)500, true), (attempt.ErrorCode, attempt.StatusCode, attempt.ResponseBodyTruncated));
        Assert.Equal(DeliveryAttempt.MaxStoredBodyBytes, attempt.ResponseBody!.Length);
        Assert.Equal("The endpoint answered 500.", attempt.Error); // stopped by the cap, not by the timeout
        Assert.True(Interlocked.Read(ref sent) < 64L << 20, $"The receiver got to send {Interlocked.Read(ref sent):N0} bytes");
    }

    [Fact]
    public async Task A_gzip_bomb_is_never_decompressed()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++) await gzip.WriteAsync(zeros);
        }
        var bomb = compressed.ToArray();
        Assert.True(bomb.Length > DeliveryAttempt.MaxStoredBodyBytes);

        var attempt = await AttemptAgainstAsync(async c =>
        {
            c.Response.StatusCode = 200;
            c.Response.Headers.ContentEncoding = "gzip";
            await c.Response.Body.WriteAsync(bomb, c.RequestAborted);
        });

        Assert.True(attempt.Succeeded);
        Assert.True(attempt.ResponseBodyTruncated);
        Assert.True(Encoding.UTF8.GetByteCount(attempt.ResponseBody!) <= DeliveryAttempt.MaxStoredBodyBytes);
        Assert.Equal("gzip", attempt.ResponseHeaders["content-encoding"]);
    }

    [Fact]
    public async Task Deliveries_to_other_endpoints_go_through_while_a_receiver_hangs()
    {
        await using var slow = await Receiver.StartAsync();
        slow.Respond = async c => await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted);
        await using var fast = await Receiver.StartAsync();
        var hanging = await world.NewEndpointAsync(slow.Url("/slow"));
        var quick = await world.NewEndpointAsync(fast.Url("/fast"));
        var perEndpoint = new DeliveryOptions().ConcurrencyPerEndpoint;
        for (var i = 0; i < perEndpoint + 12; i++) await world.PublishAsync(hanging.OrgId, TimeProvider.System);
        for (var i = 0; i < 20; i++) await world.PublishAsync(quick.OrgId, TimeProvider.System);
        var engine = world.Engine(TimeProvider.System, new() { [$"{DeliveryOptions.Section}:TimeoutSeconds"] = "6" });

        var run = engine.RunUntilIdleAsync();
        await fast.WaitForAsync(r => r.Count == 20, TimeSpan.FromSeconds(5)); // before the hanging attempts time out (6 s)

        Assert.InRange(slow.Requests.Count, 1, perEndpoint); // the hanging endpoint holds at most its own slots
        Assert.False(run.IsCompleted);
        await engine.StopAsync(CancellationToken.None); // the hanging attempts are cancelled and released
        Assert.Equal(0, await world.CountAsync($"endpoint_id = '{hanging.Id}' and data->>'LeaseToken' is not null"));
    }

    private async Task<DeliveryAttempt> AttemptAgainstAsync(Func<HttpContext, Task> respond)
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = respond;
        var endpoint = await world.NewEndpointAsync(receiver.Url());
        var (_, deliveries) = await world.PublishAsync(endpoint.OrgId, TimeProvider.System);

        await world.Engine(TimeProvider.System).RunUntilIdleAsync();

        Assert.Single(receiver.Requests);
        return Assert.Single((await world.DeliveryAsync(deliveries[0].Id)).Attempts);
    }
}
