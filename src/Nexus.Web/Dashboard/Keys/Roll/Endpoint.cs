using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Roll;

/// <summary>The roll form for one key of the member's org (another org's key is a 404).</summary>
public sealed class Endpoint(KeyManager keys) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/keys/{id}/roll");
        Group<DashboardGroup>();
        Definition.PreProcessor<KeyManagersOnly>(Order.After);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var key = await keys.FindAsync(HttpContext.Member().Org.Id, null, Route<string>("id")!, ct);
        if (key is null)
        {
            await Send.ResultAsync(Results.NotFound());
            return;
        }
        await Send.ResultAsync(RazorView.Fragment(RollPanel.View, new RollPanel(key, RollPanel.DefaultGraceMinutes, null)));
    }
}
