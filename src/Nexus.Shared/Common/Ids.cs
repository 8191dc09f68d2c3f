namespace Nexus.Shared.Common;

/// <summary>
/// Public identifiers look like Stripe's (<c>note_…</c>, <c>key_…</c>): a type prefix and a
/// time-ordered random part, so ids sort by creation and cursor pagination can use them.
/// </summary>
public static class Ids
{
    public static string New(string prefix, TimeProvider? clock = null)
    {
        var uuid = Guid.CreateVersion7((clock ?? TimeProvider.System).GetUtcNow());
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
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
