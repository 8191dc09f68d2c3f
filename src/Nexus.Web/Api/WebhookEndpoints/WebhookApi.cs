using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.WebhookEndpoints;

/// <summary>
/// What the webhook, event and delivery routes share: ids and turning the shared managers'
/// refusals into the error object. Ids that are malformed answer 404 like unknown ones, without a query (<see cref="ApiObjects"/>).
/// </summary>
public static class WebhookApi
{
    public const string EndpointsTag = "Webhook endpoints";
    public const string EventsTag = "Events";
    public const string DeliveriesTag = "Webhook deliveries";

    /// <summary>The answer for a refused operation: the error code the refusal names, with its message and param.</summary>
    public static ApiException Error(Refusal refusal) =>
        new(ErrorCatalog.Find(refusal.Code) ?? ErrorCatalog.ParameterInvalid, refusal.Message, refusal.Param);
}
