using Nexus.Shared.RateLimits;

namespace Nexus.Web.Infrastructure.RateLimits;

/// <summary>
/// On graceful shutdown, gives the budget units this node leased and did not use back to the
/// shared counters, so the other nodes can spend them before their windows end. The web server
/// stops (and drains its requests) before hosted services registered by the app do, so no
/// request is still taking units when they are given back. A crash skips this: the units then
/// expire with their windows.
/// </summary>
public sealed class UnusedBudgetReturn(RateCounters counters, TimeProvider clock, ILogger<UnusedBudgetReturn> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct)
    {
        try
        {
            await counters.ReturnUnusedAsync(clock.GetUtcNow(), ct);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not give unused rate-limit budget back; it expires with its windows");
        }
    }
}
