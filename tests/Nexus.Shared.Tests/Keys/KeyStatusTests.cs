using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeyStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_key_without_an_end_is_active()
    {
        Assert.Equal(KeyStatus.Active, new ApiKey().StatusAt(Now));
    }

    [Fact]
    public void A_key_is_expiring_within_seven_days_of_its_end_and_expired_from_that_instant()
    {
        var key = new ApiKey { ExpiresAt = Now.AddDays(7) };

        Assert.Equal(KeyStatus.Active, key.StatusAt(Now.AddTicks(-1)));
        Assert.Equal(KeyStatus.Expiring, key.StatusAt(Now));
        Assert.True(key.WorksAt(Now.AddDays(7).AddTicks(-1)));
        Assert.Equal(KeyStatus.Expired, key.StatusAt(Now.AddDays(7)));
        Assert.False(key.WorksAt(Now.AddDays(7)));
    }

    [Fact]
    public void A_rolled_key_ends_with_its_grace_period_or_its_expiry_whichever_is_first()
    {
        var graceFirst = new ApiKey { ExpiresAt = Now.AddDays(30), GraceEndsAt = Now.AddHours(24) };
        var expiryFirst = new ApiKey { ExpiresAt = Now.AddHours(1), GraceEndsAt = Now.AddHours(24) };

        Assert.Equal(Now.AddHours(24), graceFirst.EndsAt);
        Assert.Equal(Now.AddHours(1), expiryFirst.EndsAt);
        Assert.Equal(KeyStatus.Expiring, graceFirst.StatusAt(Now));
        Assert.Equal(KeyStatus.Expired, graceFirst.StatusAt(Now.AddHours(24)));
    }

    [Fact]
    public void Revoked_wins_over_everything()
    {
        var key = new ApiKey { RevokedAt = Now, ExpiresAt = Now.AddDays(1) };

        Assert.Equal(KeyStatus.Revoked, key.StatusAt(Now.AddDays(-1)));
        Assert.False(key.WorksAt(Now.AddDays(-1)));
    }
}
