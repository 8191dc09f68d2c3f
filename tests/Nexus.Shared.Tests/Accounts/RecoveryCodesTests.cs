using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class RecoveryCodesTests
{
    [Fact]
    public void Ten_distinct_codes_in_the_shown_form()
    {
        var codes = RecoveryCodes.New();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}$", c));
    }

    [Fact]
    public void A_code_typed_loosely_hashes_like_the_one_shown()
    {
        var code = RecoveryCodes.New()[0];

        Assert.Equal(RecoveryCodes.Hash(code), RecoveryCodes.Hash(" " + code.ToUpperInvariant().Replace("-", " ") + " "));
        Assert.NotEqual(RecoveryCodes.Hash(code), RecoveryCodes.Hash(RecoveryCodes.New()[0]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcde-2345")]
    [InlineData("abcde-234567")]
    [InlineData("abcde-2345!")]
    [InlineData("abcde-23410")] // 1 and 0 are never in a code
    public void What_cannot_be_a_code_is_told_apart(string typed) => Assert.Null(RecoveryCodes.Normalize(typed));
}
