using FastEndpoints;

namespace Nexus.Web.Infrastructure.Bench;

/// <summary>
/// <c>GET /api/bench/runtime</c>: the process's garbage collections and their pauses so far, read by
/// bench/run.sh before and after each slice, so a slice whose tail stands out says whether the
/// collector stopped the app in it (see <see cref="BenchRoutes"/>).
/// </summary>
internal sealed class RuntimeEndpoint : EndpointWithoutRequest<RuntimeEndpoint.Counters>, IBenchEndpoint
{
    public sealed record Counters(int Gen0, int Gen1, int Gen2, double PauseMs, long AllocatedBytes);

    public override void Configure()
    {
        Get("/runtime");
        Group<BenchGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Counters(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes()), ct);
}
