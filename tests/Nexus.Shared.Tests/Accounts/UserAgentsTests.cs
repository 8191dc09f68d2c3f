using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class UserAgentsTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on macOS")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome on Android")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome on iOS")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on ChromeOS")]
    [InlineData("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15", "Firefox on iOS")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on macOS")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera on Windows")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("python-requests/2.32.3", "python-requests")]
    [InlineData("Mozilla/5.0 (compatible; SomethingElse)", "Other browser")]
    [InlineData("", "Unknown device")]
    [InlineData(null, "Unknown device")]
    public void A_user_agent_reads_as_browser_on_system(string? userAgent, string expected) =>
        Assert.Equal(expected, UserAgents.Describe(userAgent));

    [Fact]
    public void An_overlong_user_agent_is_cut_to_the_stored_length()
    {
        Assert.Equal(UserSession.MaxUserAgentLength, UserSession.TrimUserAgent(new string('a', 5000))!.Length);
        Assert.Null(UserSession.TrimUserAgent("  "));
        Assert.Equal("curl/8.5.0", UserSession.TrimUserAgent("curl/8.5.0"));
    }
}

public sealed class SessionTokensTests
{
    [Fact]
    public void Tokens_are_256_random_bits_and_only_their_hash_is_an_id()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SessionTokens.New()).ToList();
        Assert.Equal(1000, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]{43}$", t));
        var id = SessionTokens.Hash(tokens[0]);
        Assert.True(SessionTokens.IsWellFormedId(id));
        Assert.Equal(SessionTokens.Hash(tokens[0]), id);
        Assert.DoesNotContain(tokens[0], id);
        Assert.False(SessionTokens.IsWellFormedId(tokens[0]));
        Assert.False(SessionTokens.IsWellFormedId(id.ToUpperInvariant()));
        Assert.False(SessionTokens.IsWellFormedId(id[..63]));
        Assert.False(SessionTokens.IsWellFormedId(null));
    }

    [Fact]
    public void Last_seen_is_due_after_a_minute_and_a_session_lives_while_its_cookie_can()
    {
        var seen = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var s = new UserSession { LastSeenAt = seen };
        Assert.False(s.NeedsSeenAt(seen.AddSeconds(59)));
        Assert.True(s.NeedsSeenAt(seen.AddSeconds(60)));
        Assert.True(s.IsActiveAt(seen + UserSession.IdleLimit + UserSession.SeenEvery));
        Assert.False(s.IsActiveAt(seen + UserSession.IdleLimit + UserSession.SeenEvery + TimeSpan.FromSeconds(1)));
        s.EndedAt = seen;
        Assert.False(s.IsActiveAt(seen));
    }
}
