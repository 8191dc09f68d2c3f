using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// Encrypts secrets at rest (webhook signing secrets, the dashboard's key ring, users' two-factor
/// secrets) with AES-256-GCM under a key from configuration (<c>Nexus:SecretKey</c>, base64 of 32
/// bytes), so a database dump alone does not reveal them. The web app encrypts and reveals; the worker
/// decrypts to sign. The key was first named <c>Nexus:Webhooks:SecretKey</c>, when it kept only webhook
/// secrets; that name is still read when the new one is not set.
/// <para>
/// The key can be rotated: the new key becomes <c>SecretKey</c> and the old one goes into
/// <c>Nexus:PreviousSecretKeys</c>, which only decrypt. The worker re-seals what is stored
/// under the new key (<c>SecretResealJob</c>); then the old key can go.
/// </para>
/// Stored form: <c>v2.</c> + the key's id + <c>.</c> + base64(nonce ‖ tag ‖ ciphertext). The key id (the
/// first 8 hex digits of the key's SHA-256) names the key that sealed it, so decrypting needs no trial
/// and the re-seal can tell what is left to do. The older <c>v1.</c> form, without an id, is still read.
/// </summary>
public sealed class SecretBox
{
    public const string ConfigKey = "Nexus:SecretKey";
    public const string PreviousKeysConfigKey = "Nexus:PreviousSecretKeys";
    /// <summary>The names the two settings had before they kept more than webhook secrets; read when the new ones are not set.</summary>
    public const string LegacyConfigKey = "Nexus:Webhooks:SecretKey", LegacyPreviousKeysConfigKey = "Nexus:Webhooks:PreviousSecretKeys";
    private const string V1 = "v1.", V2 = "v2.";
    private const int NonceSize = 12, TagSize = 16, KeyIdLength = 8;

    private readonly (string Id, byte[] Key) _current;
    private readonly string _currentPrefix;

    /// <summary>How everything the current key seals begins (<c>v2.&lt;key id&gt;.</c>): hex digits and dots only.</summary>
    public string CurrentPrefix => _currentPrefix;
    private readonly IReadOnlyList<(string Id, byte[] Key)> _all;

    /// <param name="base64Key">The key that seals (and opens).</param>
    /// <param name="previousBase64Keys">Earlier keys, which only open what they sealed.</param>
    public SecretBox(string? base64Key, IEnumerable<string>? previousBase64Keys = null)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
            throw new InvalidOperationException($"Set {ConfigKey} (env Nexus__SecretKey) to base64 of 32 random bytes, e.g. `openssl rand -base64 32`.");
        _current = WithId(Parse(base64Key, ConfigKey));
        _currentPrefix = $"{V2}{_current.Id}.";
        var previous = (previousBase64Keys ?? []).Select((k, i) => WithId(Parse(k, $"{PreviousKeysConfigKey} (key {i + 1})")));
        _all = [_current, .. previous.Where(p => p.Id != _current.Id)];
    }

    /// <summary>The box configured for this process: <see cref="ConfigKey"/>, and <see cref="PreviousKeysConfigKey"/> (comma-separated) when rotating.</summary>
    public static SecretBox FromSettings(string? key, string? previousKeys) =>
        new(key, (previousKeys ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The id stored with what the current key seals (safe to show: it reveals nothing of the key).</summary>
    public string CurrentKeyId => _current.Id;

    public string Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize));
        return _currentPrefix + Convert.ToBase64String(blob);
    }

    public string Decrypt(string stored)
    {
        if (stored.StartsWith(V2, StringComparison.Ordinal))
        {
            var dot = stored.IndexOf('.', V2.Length);
            if (dot < 0) throw new CryptographicException("The stored secret is damaged.");
            var id = stored[V2.Length..dot];
            var key = _all.FirstOrDefault(k => k.Id == id).Key
                ?? throw new CryptographicException($"The stored secret was sealed under a key that is not configured (key id {id}): set it in {PreviousKeysConfigKey}.");
            return Open(key, stored[(dot + 1)..]);
        }
        if (!stored.StartsWith(V1, StringComparison.Ordinal)) throw new CryptographicException("Unknown secret format.");
        // No key id in the v1 form: each configured key is tried; only the right one passes the tag check.
        foreach (var (_, key) in _all)
        {
            try { return Open(key, stored[V1.Length..]); }
            catch (AuthenticationTagMismatchException) { }
        }
        throw new AuthenticationTagMismatchException("The stored secret opens with none of the configured keys.");
    }

    /// <summary>Whether <paramref name="text"/> has the form of a sealed value (under any key).</summary>
    public static bool IsSealed(string text) => text.StartsWith(V2, StringComparison.Ordinal) || text.StartsWith(V1, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="stored"/> is sealed under the current key (else the re-seal has work to do).</summary>
    public bool IsSealedWithCurrentKey(string stored) => stored.StartsWith(_currentPrefix, StringComparison.Ordinal);

    /// <summary>The same secret, sealed under the current key.</summary>
    public string Reseal(string stored) => Encrypt(Decrypt(stored));

    private static string Open(byte[] key, string base64)
    {
        var blob = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, blob, out var length) || length < NonceSize + TagSize)
            throw new CryptographicException("The stored secret is damaged.");
        blob = blob[..length];
        var plain = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Parse(string base64Key, string name)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64Key); }
        catch (FormatException) { throw new InvalidOperationException($"{name} is not valid base64."); }
        if (key.Length != 32) throw new InvalidOperationException($"{name} must be 32 bytes (base64 of 32 random bytes); it is {key.Length}.");
        return key;
    }

    private static (string Id, byte[] Key) WithId(byte[] key) => (Convert.ToHexStringLower(SHA256.HashData(key))[..KeyIdLength], key);
}
