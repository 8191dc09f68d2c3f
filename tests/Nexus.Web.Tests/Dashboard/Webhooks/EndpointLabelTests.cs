using Nexus.Web.Dashboard.Webhooks.Deliveries;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

public sealed class EndpointLabelTests
{
    [Theory]
    [InlineData("https://example.com/hooks/fail", "example.com/hooks/fail")]
    [InlineData("https://example.com/hooks/ok", "example.com/hooks/ok")]
    [InlineData("https://example.com/", "example.com")]
    [InlineData("http://127.0.0.1:9000/hooks", "127.0.0.1:9000/hooks")]
    [InlineData("https://example.com/webhooks/nexus/billing-fail", "example.com…illing-fail")]
    [InlineData("https://billing-events.internal-services.example.com/api/webhooks/nexus/production?tenant=42", "billing-eve…n?tenant=42")]
    [InlineData("https://very-long-subdomain.example.com/", "very-long-subdomain.ex…")]
    public void A_long_url_loses_its_scheme_and_then_its_middle_never_its_end(string url, string expected)
    {
        var label = EndpointLabel.Short(url);
        Assert.Equal(expected, label);
        Assert.True(label.Length <= EndpointLabel.MaxLength);
    }

    [Fact]
    public void Endpoints_that_differ_only_at_the_end_of_a_long_path_stay_apart()
    {
        const string root = "https://hooks.example.com/api/v1/receivers/nexus/";
        Assert.NotEqual(EndpointLabel.Short(root + "ok"), EndpointLabel.Short(root + "fail"));
        Assert.EndsWith("/fail", EndpointLabel.Short(root + "fail"));
    }
}
