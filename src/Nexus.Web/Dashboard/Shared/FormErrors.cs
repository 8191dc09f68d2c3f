namespace Nexus.Web.Dashboard.Shared;

/// <summary>
/// Messages for a form that is shown again after a failed submit, keyed by the input's
/// <c>name</c>, so each message can sit next to its field.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public string? this[string field] => _byField.GetValueOrDefault(field);

    /// <summary>Keeps the first message per field: it is the one to fix first.</summary>
    public void Add(string field, string message) => _byField.TryAdd(field, message);
}
