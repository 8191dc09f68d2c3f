using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class LinkTokensTests
{
    [Fact]
    public void Reset_tokens_carry_256_random_bits_behind_their_own_prefix()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => LinkTokens.PasswordReset.New()).ToList();

        Assert.All(tokens, t => Assert.StartsWith("nxpwr_", t));
        Assert.All(tokens, t => Assert.True(LinkTokens.PasswordReset.IsWellFormed(t), t));
        Assert.All(tokens, t => Assert.Equal(32, Convert.FromBase64String(t[6..].Replace('-', '+').Replace('_', '/') + "=").Length));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.Matches("^[0-9a-f]{64}$", LinkTokens.Hash(tokens[0]));
    }

    [Fact]
    public void A_token_of_one_kind_is_not_well_formed_as_the_other()
    {
        Assert.False(LinkTokens.Invitation.IsWellFormed(LinkTokens.PasswordReset.New()));
        Assert.False(LinkTokens.PasswordReset.IsWellFormed(LinkTokens.Invitation.New()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nxpwr_")]
    [InlineData("nxpwr_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 42
    [InlineData("nxpwr_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 44
    [InlineData("nxpwr_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=")]
    [InlineData("nxpwr_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")]
    [InlineData("NXPWR_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Malformed_reset_tokens_are_recognised_before_any_query(string? token) =>
        Assert.False(LinkTokens.PasswordReset.IsWellFormed(token));
}
