using System.Security.Claims;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Tests.Infrastructure.Auth;

public sealed class ApiCallerIdentityTests
{
    private static ApiCaller Caller(int? keyLimit = 30) => new("org_1", "key_1", "nx_test_AbCdEf", Mode.Test, KeyKind.Secret)
    {
        Scopes = new HashSet<string> { "write:notes", "read:notes" },
        KeyRateLimitPerMinute = keyLimit,
    };

    [Fact]
    public void The_claims_describe_the_caller_for_authorization_policies()
    {
        var user = new ClaimsPrincipal(new ApiCallerIdentity(Caller(), ApiKeyAuthentication.SchemeName));

        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal(ApiKeyAuthentication.SchemeName, user.Identity.AuthenticationType);
        Assert.Equal("read:notes write:notes", user.FindFirstValue(ApiCaller.ScopeClaim));
        Assert.Equal(("org_1", "key_1", "nx_test_AbCdEf", "test", "Secret", "30"),
            (user.FindFirstValue(ApiCaller.OrgClaim), user.FindFirstValue(ApiCaller.KeyClaim), user.FindFirstValue(ApiCaller.PrefixClaim),
             user.FindFirstValue(ApiCaller.ModeClaim), user.FindFirstValue(ApiCaller.KindClaim), user.FindFirstValue(ApiCaller.KeyLimitClaim)));
        Assert.True(user.HasClaim(ApiCaller.OrgClaim, "org_1"));
        Assert.Equal("", new ApiCallerIdentity(Caller(keyLimit: null), "ApiKey").FindFirst(ApiCaller.KeyLimitClaim)?.Value);
    }

    [Fact]
    public void Every_request_of_one_caller_shares_its_claims_and_a_clone_is_the_same_caller()
    {
        var caller = Caller();
        var first = new ApiCallerIdentity(caller, "ApiKey");
        var second = new ApiCallerIdentity(caller, "ApiKey");

        Assert.Same(first.Claims, second.Claims);
        var clone = Assert.IsType<ApiCallerIdentity>(first.Clone());
        Assert.Same(caller, clone.Caller);
        Assert.Equal(first.Claims.Select(c => (c.Type, c.Value)), clone.Claims.Select(c => (c.Type, c.Value)));
        Assert.NotSame(first.Claims, new ApiCallerIdentity(Caller(), "ApiKey").Claims); // another caller, its own claims
    }

    [Fact]
    public void The_scope_parser_splits_on_spaces_once_per_value()
    {
        const string value = "read:notes  write:notes";

        var scopes = ApiCallerIdentity.ParseScopes(value);

        Assert.Equal(["read:notes", "write:notes"], scopes);
        Assert.Same(scopes, ApiCallerIdentity.ParseScopes(value));
        Assert.Empty(ApiCallerIdentity.ParseScopes(""));
    }
}
