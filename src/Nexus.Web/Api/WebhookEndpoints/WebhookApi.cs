using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints;

/// <summary>
/// What the webhook, event and delivery routes share: ids and turning the shared managers'
/// refusals into the error object. Ids that are malformed answer 404 like unknown ones, without a query.
/// </summary>
public static class WebhookApi
{
    public const string EndpointsTag = "Webhook endpoints";
    public const string EventsTag = "Events";
    public const string DeliveriesTag = "Webhook deliveries";

    /// <summary>The answer for a refused operation: the error code the refusal names, with its message and param.</summary>
    public static ApiException Error(Refusal refusal) =>
        new(ErrorCatalog.Find(refusal.Code) ?? ErrorCatalog.ParameterInvalid, refusal.Message, refusal.Param);

    /// <summary>404 <c>resource_missing</c> for an id that is not of <paramref name="prefix"/>'s shape.</summary>
    public static void RequireWellFormed(string id, string prefix, string what)
    {
        if (!Ids.IsWellFormed(id, prefix)) throw Missing(id, what);
    }

    public static ApiException Missing(string id, string what) =>
        new(ErrorCatalog.ResourceMissing, $"No such {what}: '{Echo.Clip(id)}'.", "id");
}
