namespace Nexus.Web.Dashboard.Webhooks;

/// <summary>
/// A short outcome shown in the page's panel after an action that has no form of its own (send a
/// test event, retry failed deliveries, save): what happened, or the refusal's message.
/// </summary>
public sealed record Notice(string Title, string? Body, bool Failed, string Id = "webhook-panel-content")
{
    public const string View = "~/Dashboard/Webhooks/_Notice.cshtml";

    public static Notice Done(string title, string? body = null) => new(title, body, false);

    public static Notice Refused(string title, string message) => new(title, message, true);
}
