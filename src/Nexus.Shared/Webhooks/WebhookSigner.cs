using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// Signs messages per the Standard Webhooks scheme: <c>v1,</c> + base64(HMAC-SHA256(secret,
/// "{webhook-id}.{webhook-timestamp}.{body}")), where the secret is the base64 part of
/// <c>whsec_…</c>. Several signatures (during a secret rotation) are space-separated.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";
    public const int SecretBytes = 24;

    /// <summary>A new signing secret: <c>whsec_</c> + base64 of 24 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    public static byte[] SecretKey(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) throw new ArgumentException("A signing secret starts with whsec_.", nameof(secret));
        return Convert.FromBase64String(secret[SecretPrefix.Length..]);
    }

    /// <summary>The exact bytes that are signed.</summary>
    public static byte[] SignedContent(string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }

    /// <summary>One <c>v1,&lt;base64&gt;</c> signature.</summary>
    public static string Sign(string secret, string webhookId, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(SecretKey(secret), SignedContent(webhookId, timestamp, body)));

    /// <summary>The <c>webhook-signature</c> header value for every secret given, space-separated.</summary>
    public static string SignatureHeader(IEnumerable<string> secrets, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets) signatures.Add(Sign(secret, webhookId, timestamp, body));
        return string.Join(' ', signatures);
    }
}
