using Nexus.Shared.Accounts;
using Nexus.Shared.Tests.Support;
using OtpNet;

namespace Nexus.Shared.Tests.Accounts;

public sealed class TotpCodesTests
{
    // RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", whose 8-digit codes end in these 6 digits.
    private static readonly string RfcSecret = Base32Encoding.ToString("12345678901234567890"u8.ToArray());

    private static (ManualClock Clock, TotpCodes Codes) At(DateTimeOffset now)
    {
        var clock = new ManualClock(now);
        return (clock, new TotpCodes(clock));
    }

    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixSeconds, string code)
    {
        var (_, codes) = At(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(code, codes.Now(RfcSecret));
        Assert.Equal(unixSeconds / 30, codes.Verify(RfcSecret, code, 0));
    }

    [Fact]
    public void A_code_is_accepted_one_step_early_or_late_but_not_two()
    {
        var secret = TotpCodes.NewSecret();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000); // a step boundary
        var (clock, codes) = At(start);
        var code = codes.Now(secret);
        var step = start.ToUnixTimeSeconds() / 30;

        clock.Advance(TimeSpan.FromSeconds(59));             // next step: the phone is behind
        Assert.Equal(step, codes.Verify(secret, code, 0));
        clock.Advance(TimeSpan.FromSeconds(1));              // two steps on
        Assert.Null(codes.Verify(secret, code, 0));

        var (early, earlyCodes) = At(start - TimeSpan.FromSeconds(1)); // previous step: the phone is ahead
        Assert.Equal(step, earlyCodes.Verify(secret, code, 0));
        early.Advance(TimeSpan.FromSeconds(-30));
        Assert.Null(earlyCodes.Verify(secret, code, 0));
    }

    [Fact]
    public void A_code_cannot_be_replayed_nor_an_older_one_used_after_a_newer()
    {
        var secret = TotpCodes.NewSecret();
        var (clock, codes) = At(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var first = codes.Now(secret);
        var accepted = codes.Verify(secret, first, 0);
        Assert.NotNull(accepted);

        Assert.Null(codes.Verify(secret, first, accepted.Value));

        clock.Advance(TimeSpan.FromSeconds(30));
        var second = codes.Now(secret);
        var next = codes.Verify(secret, second, accepted.Value);
        Assert.Equal(accepted + 1, next);
        // The first code is still inside the drift window, but its step is before the one last accepted.
        Assert.Null(codes.Verify(secret, first, next!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("１２３４５６")] // full-width digits are digits to char.IsDigit, not to us
    public void Anything_but_six_ASCII_digits_is_refused(string code)
    {
        var (_, codes) = At(DateTimeOffset.UtcNow);

        Assert.False(TotpCodes.IsWellFormed(code));
        Assert.Null(codes.Verify(TotpCodes.NewSecret(), code, 0));
    }

    [Fact]
    public void The_enrolment_uri_names_the_issuer_and_account()
    {
        Assert.Equal("otpauth://totp/Nexus:ann%40example.com?secret=ABCDEFGH&issuer=Nexus", TotpCodes.EnrolmentUri("ABCDEFGH", "ann@example.com"));
    }
}
