using FastEndpoints;
using Marten;
using Nexus.Shared.Workers;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Workers.Status;

/// <summary>The "Worker online/offline" pill; the layout polls it every 10 seconds.</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/workers/status");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Only recent beats can be alive; the LastSeenAt index keeps this cheap however many
        // workers have come and gone.
        var since = now - WorkerHeartbeat.Interval * 3;
        var recent = await session.Query<WorkerHeartbeat>()
            .Where(h => h.LastSeenAt > since)
            .ToListAsync(ct);
        await Send.ResultAsync(RazorView.Fragment("~/Dashboard/Workers/Status/_Status.cshtml", recent.Count(h => h.IsAlive(now))));
    }
}
