using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Common;

public sealed class NotFoundTests
{
    private const string Org = "org_01jd4n6x9m3f8r2k7q5w0y1z3a";

    [Fact]
    public void An_id_that_names_nothing_is_no_such_object_of_its_kind()
    {
        Assert.Equal("No such customer: 'cus_x'.", NotFound.Message<Customer>("cus_x"));
        Assert.Equal("No such API key: 'key_x'.", NotFound.Message<ApiKey>("key_x"));
        Assert.Equal("No such webhook endpoint: 'we_x'.", NotFound.Message<WebhookEndpoint>("we_x"));
        Assert.Equal("No such customer: 'cus_x'.", NotFound.Message<Customer>("cus_x", null, Org, Mode.Test));
    }

    [Theory]
    [InlineData(Mode.Test, "; a similar object exists in live mode, but a test mode key was used to make this request.")]
    [InlineData(Mode.Live, "; a similar object exists in test mode, but a live mode key was used to make this request.")]
    public void The_orgs_own_object_of_the_other_mode_is_named(Mode callerMode, string hint)
    {
        var other = callerMode == Mode.Test ? Mode.Live : Mode.Test;
        var customer = new Customer { Id = "cus_x", OrgId = Org, Mode = other };

        Assert.Equal("No such customer: 'cus_x'" + hint, NotFound.Message("cus_x", customer, Org, callerMode));
    }

    [Fact]
    public void Another_orgs_object_gets_no_hint_in_either_mode()
    {
        foreach (var mode in new[] { Mode.Test, Mode.Live })
        {
            var theirs = new Customer { Id = "cus_x", OrgId = "org_someone_else", Mode = mode };
            Assert.Equal("No such customer: 'cus_x'.", NotFound.Message("cus_x", theirs, Org, Mode.Test));
        }
    }

    [Fact]
    public void A_long_id_is_quoted_clipped_and_the_refusal_keeps_its_param()
    {
        var id = "cus_" + new string('a', 500);

        var refusal = NotFound.Refusal<Customer>(id, "customer");

        Assert.Equal((Refusal.ResourceMissing, $"No such customer: '{id[..64]}…'.", "customer"), (refusal.Code, refusal.Message, refusal.Param));
    }
}
