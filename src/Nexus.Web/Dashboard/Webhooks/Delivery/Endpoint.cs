using FastEndpoints;
using Marten;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Delivery;

/// <summary>One delivery's detail panel; another org's delivery is a 404, like one that does not exist.</summary>
public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/webhooks/deliveries/{id}");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var detail = await DeliveryDetail.LoadAsync(session, member.Org.Id, HttpContext.WebhookMode(), Route<string>("id")!, member.CanManageWebhooks(), clock, ct);
        if (detail is null) await Send.ResultAsync(Results.NotFound());
        else await Send.ResultAsync(RazorView.Fragment(DeliveryDetail.View, detail));
    }
}
