using System.Security.Cryptography;
using System.Text;

namespace Nexus.Shared.Accounts;

/// <summary>
/// One-time recovery codes for when the authenticator is lost: ten of them, <c>xxxxx-xxxxx</c> from an
/// alphabet without look-alike characters (50 bits each), shown once and stored only as SHA-256 hashes.
/// A plain hash is enough: they are random and high-entropy, unlike passwords, so nothing is gained by a slow one.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    private const int HalfLength = 5;
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no i, l, o, 0, 1

    public static IReadOnlyList<string> New() =>
        Enumerable.Range(0, Count).Select(_ => $"{Random(HalfLength)}-{Random(HalfLength)}").ToList();

    /// <summary>
    /// The code as typed, reduced to the canonical form (lower case, no spaces or dash), or null when it
    /// cannot be a recovery code (so the caller can say so without spending a guess).
    /// </summary>
    public static string? Normalize(string typed)
    {
        var plain = new string(typed.Where(c => c is not ('-' or ' ')).Select(char.ToLowerInvariant).ToArray());
        return plain.Length == 2 * HalfLength && plain.All(Alphabet.Contains) ? plain : null;
    }

    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(code) ?? code)));

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
