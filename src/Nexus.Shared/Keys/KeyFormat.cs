using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Nexus.Shared.Common;

namespace Nexus.Shared.Keys;

public enum KeyKind
{
    Secret,
    Publishable,
}

/// <summary>The parts of a well-formed API key.</summary>
public readonly record struct ParsedKey(KeyKind Kind, Mode Mode, string Prefix);

/// <summary>
/// API key text: <c>nx_live_</c>/<c>nx_test_</c> (secret) or <c>nx_pk_live_</c>/<c>nx_pk_test_</c>
/// (publishable), then 24 base62 characters from a CSPRNG (~143 bits), then a 6-character
/// base62 CRC-32 of everything before it. The checksum lets Nexus (and a secret scanner)
/// reject a mistyped or truncated key without touching the database.
/// </summary>
public static class KeyFormat
{
    public const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const int RandomLength = 24;
    public const int ChecksumLength = 6;

    /// <summary>How many characters after the kind/mode prefix are shown in lists (enough to tell keys apart).</summary>
    public const int VisibleRandomChars = 6;

    public static string Header(KeyKind kind, Mode mode) =>
        (kind == KeyKind.Publishable ? "nx_pk_" : "nx_") + mode.ToWire() + "_";

    public static string Generate(KeyKind kind, Mode mode)
    {
        var body = Header(kind, mode) + RandomNumberGenerator.GetString(Base62, RandomLength);
        return body + Checksum(body);
    }

    /// <summary>Parses and verifies the checksum; no I/O, constant work for any input.</summary>
    public static bool TryParse(string? key, out ParsedKey parsed) => TryParse(key.AsSpan(), out parsed);

    /// <summary>
    /// As <see cref="TryParse(string?, out ParsedKey)"/>, for the key as it stands in a header: the
    /// API checks every request's key, so only the display prefix of a well-formed key is allocated.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> key, out ParsedKey parsed)
    {
        parsed = default;
        if (key.Length > 64) return false;

        KeyKind kind;
        Mode mode;
        int header;
        if (key.StartsWith("nx_live_", StringComparison.Ordinal)) (kind, mode, header) = (KeyKind.Secret, Mode.Live, "nx_live_".Length);
        else if (key.StartsWith("nx_test_", StringComparison.Ordinal)) (kind, mode, header) = (KeyKind.Secret, Mode.Test, "nx_test_".Length);
        else if (key.StartsWith("nx_pk_live_", StringComparison.Ordinal)) (kind, mode, header) = (KeyKind.Publishable, Mode.Live, "nx_pk_live_".Length);
        else if (key.StartsWith("nx_pk_test_", StringComparison.Ordinal)) (kind, mode, header) = (KeyKind.Publishable, Mode.Test, "nx_pk_test_".Length);
        else return false;

        if (key.Length != header + RandomLength + ChecksumLength) return false;
        if (key[header..].IndexOfAnyExcept(Base62) >= 0) return false;

        Span<char> expected = stackalloc char[ChecksumLength];
        Checksum(key[..^ChecksumLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(key[^ChecksumLength..])))
            return false;

        parsed = new ParsedKey(kind, mode, new string(key[..(header + VisibleRandomChars)]));
        return true;
    }

    internal static string Checksum(string body)
    {
        Span<char> chars = stackalloc char[ChecksumLength];
        Checksum(body, chars);
        return new string(chars);
    }

    private static void Checksum(ReadOnlySpan<char> body, Span<char> chars)
    {
        // The standard CRC-32 value (as zlib computes it), so an outside scanner can check keys too;
        // Crc32.Hash returns its bytes little-endian, which read big-endian gave a byte-swapped value.
        Span<byte> ascii = body.Length <= 64 ? stackalloc byte[64] : new byte[body.Length];
        var crc = Crc32.HashToUInt32(ascii[..Encoding.ASCII.GetBytes(body, ascii)]);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
    }
}
