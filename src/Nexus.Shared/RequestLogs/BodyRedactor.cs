using System.Text.RegularExpressions;
using Nexus.Shared.Common;

namespace Nexus.Shared.RequestLogs;

/// <summary>
/// Makes a captured body safe to store: Nexus API keys and webhook secrets anywhere in the text,
/// and the values of fields whose names say they hold a secret, become <c>[redacted]</c>. The
/// text is cut to <see cref="MaxChars"/> first.
/// </summary>
public static partial class BodyRedactor
{
    public const int MaxChars = 8 * 1024;
    public const string Mask = SecretText.Mask;

    public static string Redact(string body)
    {
        var text = body.Length > MaxChars ? body[..MaxChars] + "…" : body;
        text = SecretText.Redact(text);
        return SecretField().Replace(text, m => m.Groups["prefix"].Value + "\"" + Mask + "\"");
    }

    [GeneratedRegex("""(?<prefix>"(?:secret|password|passwd|token|api_key|apikey|authorization|signing_secret|client_secret)"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();
}
