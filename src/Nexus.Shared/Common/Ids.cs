using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Nexus.Shared.Common;

/// <summary>
/// Public identifiers look like Stripe's (<c>note_…</c>, <c>key_…</c>): a type prefix and a
/// time-ordered random part, so ids sort by creation and cursor pagination can use them.
/// </summary>
public static class Ids
{
    public static string New(string prefix, TimeProvider? clock = null)
    {
        // A UUIDv7 (RFC 9562) laid out by hand, as Guid.CreateVersion7 would: 48 bits of Unix
        // milliseconds, then random bits with the version and variant set. Guid's randomness on
        // Linux is a read of /dev/urandom per call, a system call on every request (each gets a
        // request id); RandomNumberGenerator draws from OpenSSL's generator in user space.
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], ((clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds() << 16) | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..8]));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return $"{prefix}_{Base32.Encode(bytes)}";
    }

    /// <summary>
    /// The smallest id <see cref="New"/> could make for <paramref name="prefix"/> at <paramref name="at"/>
    /// (the millisecond, then zeros): ids made before <paramref name="at"/>'s millisecond sort before it,
    /// ids made in it or later after it, so <c>id &lt; Floor(prefix, t)</c> finds what was made before t on the primary key.
    /// </summary>
    public static string Floor(string prefix, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], at.ToUnixTimeMilliseconds() << 16);
        return $"{prefix}_{Base32.Encode(bytes)}";
    }

    /// <summary>True when <paramref name="id"/> is shaped like an id this class makes for <paramref name="prefix"/>.</summary>
    public static bool IsWellFormed(string? id, string prefix) =>
        id is not null
        && id.Length == prefix.Length + 1 + 26
        && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Base32.Alphabet) < 0;
}

/// <summary>Crockford base32, lower case: ordering of encoded strings matches byte ordering.</summary>
internal static class Base32
{
    public const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, i = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[i++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0) chars[i] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars);
    }
}
