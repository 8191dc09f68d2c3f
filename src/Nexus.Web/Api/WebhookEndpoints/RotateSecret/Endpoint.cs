using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints.RotateSecret;

public sealed class Endpoint(EndpointManager endpoints, TimeProvider clock) : Endpoint<Request, EndpointWithSecret>
{
    public override void Configure()
    {
        Post("/webhook-endpoints/{id}/rotate-secret");
        Scopes(KeyScopes.WriteWebhooks);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Rotate a webhook endpoint's secret";
            s.Description = "Issues a new signing secret and returns it. During the grace period every delivery carries two signatures "
                + "(new and old secret) in `webhook-signature`, so the receiver can switch without missing a message; "
                + "`previous_secret_expires_at` says when the old one stops. The body is optional.";
            s.ExampleRequest = new Request { GracePeriodSeconds = 86400 };
            s.ResponseExamples[200] = EndpointWithSecret.Example;
        });
        // The body is optional: a bodiless POST rotates with the default grace.
        PreProcessor<OptionalJsonBody<Request>>();
        Description(b => OptionalJsonBody<Request>.Document(b.WithTags(WebhookApi.EndpointsTag).ClearDefaultAccepts()).Produces<EndpointWithSecret>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403).Produces<ApiErrorResponse>(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ApiObjects.RequireWellFormed<WebhookEndpoint>(req.Id, WebhookEndpoint.IdPrefix);
        var caller = HttpContext.Caller();
        var grace = req.GracePeriodSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : EndpointManager.DefaultGrace;
        var result = await endpoints.RotateSecretAsync(caller.OrgId, caller.Mode, req.Id, grace, HttpContext.Actor(), ct);
        if (result.Refusal is { } refusal) throw WebhookApi.Error(refusal);

        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new EndpointWithSecret(EndpointObject.From(result.Endpoint!, clock.GetUtcNow()), result.Secret!), ct);
    }
}
