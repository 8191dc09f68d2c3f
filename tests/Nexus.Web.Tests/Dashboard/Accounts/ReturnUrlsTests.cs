using Nexus.Web.Dashboard.Accounts;

namespace Nexus.Web.Tests.Dashboard.Accounts;

public sealed class ReturnUrlsTests
{
    [Theory]
    [InlineData("/settings")]
    [InlineData("/keys?x=1#y")]
    public void A_path_on_this_site_is_kept(string url) => Assert.Equal(url, ReturnUrls.Safe(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\n/evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("evil.example")]
    [InlineData("~/keys")]
    [InlineData("javascript:alert(1)")]
    // No Location header can hold them: a 500, after the sign-in had made its session.
    [InlineData("/\u00fc")]
    [InlineData("/keys?q=\u00fc")]
    [InlineData("/\uff0e/keys")]
    [InlineData("/keys x")]
    public void Anything_that_could_leave_the_site_falls_back_to_keys(string? url) =>
        Assert.Equal(ReturnUrls.Default, ReturnUrls.Safe(url));

    [Fact]
    public void An_overlong_return_url_is_not_echoed() =>
        Assert.Equal(ReturnUrls.Default, ReturnUrls.Safe("/" + new string('a', 600)));
}
