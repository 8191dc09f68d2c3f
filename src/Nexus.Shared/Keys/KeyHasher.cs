using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Keys;

/// <summary>
/// Keys are stored as HMAC-SHA256(pepper, key). The pepper lives in configuration, not in the
/// database, so a stolen database alone cannot confirm a guessed key. Keys carry ~143 bits of
/// randomness, so a fast hash is the right tool here (a slow KDF is for low-entropy passwords).
/// </summary>
public sealed class KeyHasher
{
    private readonly byte[] _pepper;

    public KeyHasher(string pepper)
    {
        if (string.IsNullOrEmpty(pepper) || pepper.Length < 16)
            throw new ArgumentException("The API key pepper must be at least 16 characters.", nameof(pepper));
        _pepper = Encoding.UTF8.GetBytes(pepper);
    }

    public string Hash(string key) => Hash(key.AsSpan());

    /// <summary>The hash of a key as it stands in a header; the API hashes every request's key, so only the hex string is allocated.</summary>
    public string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = key.Length <= 64 ? stackalloc byte[64 * 3] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_pepper, utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        return Convert.ToHexStringLower(hash);
    }
}
