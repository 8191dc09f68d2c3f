namespace Nexus.Web.Dashboard.Webhooks;

/// <summary>The <c>HX-Trigger</c> events the Webhooks page's panels listen for, so a change refreshes only what it touched.</summary>
public static class WebhookTriggers
{
    public const string EndpointsChanged = "endpoints-changed";
    public const string DeliveriesChanged = "deliveries-changed";
}
