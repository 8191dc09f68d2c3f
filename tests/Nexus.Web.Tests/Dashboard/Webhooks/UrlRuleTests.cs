using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Webhooks.Form;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

public sealed class UrlRuleTests
{
    [Theory]
    [InlineData(null, false, "HTTPS, on a public address. Redirects are not followed.")]
    [InlineData(null, true, "HTTPS or plain HTTP, on a public address, as this deployment's settings allow. Redirects are not followed.")]
    [InlineData("127.0.0.0/8,::1/128", true,
        "HTTPS or plain HTTP, on a public address or in 127.0.0.0/8, ::1/128 (localhost too), as this deployment's settings allow. Redirects are not followed.")]
    [InlineData("10.0.0.0/8", false, "HTTPS, on a public address or in 10.0.0.0/8, as this deployment's settings allow. Redirects are not followed.")]
    public void The_url_help_states_the_rule_the_deployment_applies(string? allowed, bool http, string expected) =>
        Assert.Equal(expected, UrlRule.Describe(SsrfGuard.FromSettings(allowed, http)));
}
