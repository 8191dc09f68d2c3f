using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class InvitationTokensTests
{
    [Fact]
    public void Tokens_carry_256_random_bits_and_are_all_different()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => LinkTokens.Invitation.New()).ToList();

        Assert.All(tokens, t => Assert.True(LinkTokens.Invitation.IsWellFormed(t), t));
        Assert.All(tokens, t => Assert.Equal(32, Convert.FromBase64String(t[6..].Replace('-', '+').Replace('_', '/') + "=").Length));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void The_hash_is_hex_sha256_and_not_the_token()
    {
        var token = LinkTokens.Invitation.New();

        var hash = LinkTokens.Hash(token);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, LinkTokens.Hash(token));
        Assert.NotEqual(hash, LinkTokens.Hash(LinkTokens.Invitation.New()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nxinv_")]
    [InlineData("nxinv_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 42
    [InlineData("nxinv_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 44
    [InlineData("nxkey_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("nxinv_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=")]
    public void Malformed_tokens_are_recognised_before_any_query(string? token) =>
        Assert.False(LinkTokens.Invitation.IsWellFormed(token));
}
