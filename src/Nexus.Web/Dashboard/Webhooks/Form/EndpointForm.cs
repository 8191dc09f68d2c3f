using FastEndpoints;
using Nexus.Shared.Common;
using Mode = Nexus.Shared.Common.Mode;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Webhooks.Form;

/// <summary>
/// The endpoint form as posted (create and edit). Field names are the API's parameter names, so a
/// <see cref="Refusal.Param"/> from <see cref="EndpointManager"/> names the input its message
/// belongs next to. Everything is text: what does not parse is a message, never a framework 400.
/// </summary>
public sealed class EndpointForm
{
    public string? Url { get; set; }

    public string? Description { get; set; }

    /// <summary>One value per ticked event type; <c>*</c> is "all events".</summary>
    [BindFrom("enabled_events")]
    public List<string>? EnabledEvents { get; set; }

    /// <summary>The form shown again, with what was typed.</summary>
    public EndpointPanel Echo(string? id, Mode mode, FormErrors errors) =>
        new(id, mode, Url ?? "", Description ?? "", Events, errors);

    private List<string> Events => (EnabledEvents ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// What the form asks for, or null when a field is missing. The URL's SSRF check and the event
    /// names are left to <see cref="EndpointManager"/>, which the API shares.
    /// </summary>
    public EndpointSpec? ToSpec(FormErrors errors)
    {
        var url = Url?.Trim();
        if (string.IsNullOrEmpty(url)) errors.Add("url", "Enter the URL Nexus should POST events to, e.g. https://example.com/webhooks.");
        else if (url.Length > WebhookEndpoint.MaxUrlLength) errors.Add("url", $"The URL is longer than {WebhookEndpoint.MaxUrlLength} characters.");
        var events = Events;
        if (events.Count == 0) errors.Add("enabled_events", "Choose the events to send, or all events.");
        if (errors.Any) return null;
        return new EndpointSpec(url, (Description ?? "").Trim(), events.Contains("*") ? ["*"] : events);
    }
}

/// <summary>The create or edit form: the values shown and the messages after a failed submit.</summary>
public sealed record EndpointPanel(string? Id, Mode Mode, string Url, string Description, IReadOnlyList<string> Events, FormErrors Errors)
{
    public const string View = "~/Dashboard/Webhooks/Form/_EndpointPanel.cshtml";

    /// <summary>Where a message that belongs to no single field (e.g. the endpoint limit) goes.</summary>
    public const string FormField = "form";

    public bool IsNew => Id is null;

    public bool AllEvents => Events.Contains("*");

    /// <summary>Types a person subscribes to; <c>test.ping</c> reaches an endpoint from its button whatever it subscribes to.</summary>
    public static IEnumerable<EventType> Choices => EventCatalog.All.Where(t => t.Name != EventCatalog.TestPing);

    public static EndpointPanel New(Mode mode) => new(null, mode, "", "", ["*"], new FormErrors());

    public static EndpointPanel For(WebhookEndpoint endpoint) => new(endpoint.Id, endpoint.Mode, endpoint.Url, endpoint.Description,
        endpoint.EventTypes.Count == 0 ? ["*"] : endpoint.EventTypes, new FormErrors());

    public string Action => IsNew ? $"/webhooks/endpoints?mode={Mode.ToWire()}" : $"/webhooks/endpoints/{Id}?mode={Mode.ToWire()}";
}
