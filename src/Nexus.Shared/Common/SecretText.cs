using System.Text.RegularExpressions;

namespace Nexus.Shared.Common;

/// <summary>
/// Masks Nexus API keys and webhook signing secrets in text that is stored or shown: request logs'
/// paths and user agents, captured bodies, error messages that quote what the client sent. A client
/// can put its key anywhere (a path, a header, a field name); it must come back nowhere.
/// </summary>
public static partial class SecretText
{
    public const string Mask = "[redacted]";

    /// <summary>
    /// <paramref name="text"/> with every key or secret replaced by <see cref="Mask"/>. A key counts from
    /// twelve characters after its header, up to a whole key's thirty (a mistyped or cut key is still mostly secret), so a key's
    /// displayed prefix (header and six characters, <c>nx_test_a1B2c3</c>) stays readable.
    /// </summary>
    public static string Redact(string text) => MayHold(text) ? KeyOrSecret().Replace(text, Mask) : text;

    /// <summary>Whether <paramref name="text"/> holds a key or secret that <see cref="Redact"/> would mask.</summary>
    public static bool Holds(string text) => MayHold(text) && KeyOrSecret().IsMatch(text);

    /// <summary>A cheap test first: almost no text holds either marker, and this runs for every API request.</summary>
    private static bool MayHold(string text) =>
        text.Contains("nx_", StringComparison.Ordinal) || text.Contains("whsec_", StringComparison.Ordinal);

    [GeneratedRegex(@"nx_(?:pk_)?(?:live|test)_[0-9A-Za-z]{12,30}|whsec_[0-9A-Za-z+/=]{8,}")]
    private static partial Regex KeyOrSecret();
}
