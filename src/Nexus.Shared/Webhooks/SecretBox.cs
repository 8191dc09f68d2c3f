using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Webhooks;

/// <summary>
/// Encrypts webhook signing secrets at rest with AES-256-GCM under a key from configuration
/// (<c>Nexus:Webhooks:SecretKey</c>, base64 of 32 bytes), so a database dump alone does not
/// reveal them. The web app encrypts and reveals; the worker decrypts to sign.
/// Stored form: <c>v1.</c> + base64(nonce ‖ tag ‖ ciphertext).
/// </summary>
public sealed class SecretBox
{
    public const string ConfigKey = "Nexus:Webhooks:SecretKey";
    private const string Version = "v1.";
    private const int NonceSize = 12, TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(string? base64Key)
    {
        if (string.IsNullOrWhiteSpace(base64Key))
            throw new InvalidOperationException($"Set {ConfigKey} (env Nexus__Webhooks__SecretKey) to base64 of 32 random bytes, e.g. `openssl rand -base64 32`.");
        byte[] key;
        try { key = Convert.FromBase64String(base64Key); }
        catch (FormatException) { throw new InvalidOperationException($"{ConfigKey} is not valid base64."); }
        if (key.Length != 32) throw new InvalidOperationException($"{ConfigKey} must be 32 bytes (base64 of 32 random bytes); it is {key.Length}.");
        _key = key;
    }

    public string Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize));
        return Version + Convert.ToBase64String(blob);
    }

    public string Decrypt(string stored)
    {
        if (!stored.StartsWith(Version, StringComparison.Ordinal)) throw new CryptographicException("Unknown secret format.");
        var blob = new byte[stored.Length];
        if (!Convert.TryFromBase64String(stored[Version.Length..], blob, out var length) || length < NonceSize + TagSize)
            throw new CryptographicException("The stored secret is damaged.");
        blob = blob[..length];
        var plain = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
