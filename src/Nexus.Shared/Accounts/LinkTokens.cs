using System.Buffers;

namespace Nexus.Shared.Accounts;

/// <summary>
/// Tokens that travel in a link handed to a person (invitations, password resets): 256 bits from a
/// CSPRNG, base64url, behind a prefix that says what they are. Only the SHA-256 is stored, so a copy
/// of the database holds no working link. The random part is made and hashed as session tokens are.
/// </summary>
public sealed class LinkTokens(string prefix)
{
    /// <summary>32 bytes in base64url without padding.</summary>
    private const int SecretChars = 43;

    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Invitation links (<c>/invitations/nxinv_…</c>).</summary>
    public static readonly LinkTokens Invitation = new("nxinv_");

    /// <summary>Password reset links an operator prints on the server (<c>/reset-password/nxpwr_…</c>).</summary>
    public static readonly LinkTokens PasswordReset = new("nxpwr_");

    public string Prefix => prefix;

    public string New() => prefix + SessionTokens.New();

    /// <summary>Hex SHA-256 of the whole token, prefix included.</summary>
    public static string Hash(string token) => SessionTokens.Hash(token);

    /// <summary>Checked before any query: a mangled or made-up token costs nothing.</summary>
    public bool IsWellFormed(string? token) =>
        token is not null && token.Length == prefix.Length + SecretChars && token.StartsWith(prefix, StringComparison.Ordinal)
        && !token.AsSpan(prefix.Length).ContainsAnyExcept(Base64UrlChars);
}
