namespace Nexus.Bench.Receiver;

/// <summary>
/// A receiver that costs as little as a receiver can: it answers every POST with an empty 200 as
/// soon as the request has arrived, so the benchmark measures the sender, not the receiver.
/// </summary>
internal static class Receiver
{
    private static long _received;

    public static async Task<int> RunAsync(int port)
    {
        if (port <= 0) return Options.Fail("receive needs --port");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/{**path}", () =>
        {
            Interlocked.Increment(ref _received);
            return Results.Ok();
        });
        app.MapGet("/count", () => Results.Text(Interlocked.Read(ref _received).ToString()));
        await app.RunAsync();
        return 0;
    }
}
