using System.Text.RegularExpressions;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Makes a captured body safe to store: Nexus API keys and webhook secrets anywhere in the text,
/// and the values of fields whose names say they hold a secret, become <c>[redacted]</c>. The
/// text is cut to <see cref="MaxChars"/> first.
/// </summary>
public static partial class BodyRedactor
{
    public const int MaxChars = 8 * 1024;
    public const string Mask = "[redacted]";

    public static string Redact(string body)
    {
        var text = body.Length > MaxChars ? body[..MaxChars] + "…" : body;
        text = KeyOrSecret().Replace(text, Mask);
        return SecretField().Replace(text, m => m.Groups["prefix"].Value + "\"" + Mask + "\"");
    }

    // Whole tokens only: a key's prefix alone (nx_test_a1B2c3) stays readable in URLs and messages.
    [GeneratedRegex(@"\b(nx_(?:pk_)?(?:live|test)_[0-9A-Za-z]{30}|whsec_[0-9A-Za-z+/=]{8,})\b")]
    private static partial Regex KeyOrSecret();

    [GeneratedRegex("""(?<prefix>"(?:secret|password|passwd|token|api_key|apikey|authorization|signing_secret|client_secret)"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();
}
