using Htmx;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Webhooks.Secret;

public enum SecretReason { Created, Rotated, Revealed }

/// <summary>
/// An endpoint's signing secret in plaintext: right after create or rotate, or revealed again by
/// an owner or admin. The only responses that ever hold it, so nothing may cache them.
/// </summary>
public sealed record SecretPanel(WebhookEndpoint Endpoint, string Secret, SecretReason Reason, DateTimeOffset Now)
{
    public const string View = "~/Dashboard/Webhooks/Secret/_Secret.cshtml";

    public RazorView Send(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (Reason != SecretReason.Revealed) http.Response.Htmx(h => h.WithTrigger(WebhookTriggers.EndpointsChanged));
        return RazorView.Fragment(View, this);
    }
}
