using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeySpecRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly KeySpec Valid = new("  Production  ", KeyKind.Secret, Mode.Live) { Scopes = [KeyScopes.WriteNotes, KeyScopes.WriteNotes] };

    [Fact]
    public void A_valid_spec_comes_back_canonical()
    {
        var spec = Valid with { AllowedIps = ["203.0.113.7", "203.0.113.7/32"] };

        Assert.Null(KeySpecRules.Check(spec, PlanCatalog.Default.Free, Now, out var canonical));
        Assert.Equal("Production", canonical.Name);
        Assert.Equal([KeyScopes.WriteNotes], canonical.Scopes);
        Assert.Equal(["203.0.113.7/32"], canonical.AllowedIps);
    }

    public static TheoryData<string, KeySpec, string> Refused() => new()
    {
        { "no name", Valid with { Name = " " }, "name" },
        { "long name", Valid with { Name = new string('n', 61) }, "name" },
        { "line break in the name", Valid with { Name = "Production\nserver" }, "name" },
        { "tab in the name", Valid with { Name = "Production\tserver" }, "name" },
        { "escape in the name", Valid with { Name = "Production\u001b[31m" }, "name" },
        { "no scopes", Valid with { Scopes = [] }, "scopes" },
        { "unknown scope", Valid with { Scopes = ["read:notes", "read:users"] }, "scopes" },
        { "write scope on a publishable key", Valid with { Kind = KeyKind.Publishable, Scopes = [KeyScopes.WriteNotes] }, "scopes" },
        { "admin on a publishable key", Valid with { Kind = KeyKind.Publishable, Scopes = [KeyScopes.AdminAll] }, "scopes" },
        { "expiry now", Valid with { ExpiresAt = Now }, "expires_at" },
        { "limit zero", Valid with { RateLimitPerMinute = 0 }, "rate_limit_per_minute" },
        { "limit above the plan", Valid with { RateLimitPerMinute = PlanCatalog.Default.Free.PerMinute + 1 }, "rate_limit_per_minute" },
        { "bad allowlist", Valid with { AllowedIps = ["10.0.0.300"] }, "allowed_ips" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_broken_rule_is_refused_with_the_parameter_at_fault(string rule, KeySpec spec, string param)
    {
        var problem = KeySpecRules.Check(spec, PlanCatalog.Default.Free, Now, out _);
        Assert.True(problem is not null, rule);

        Assert.NotNull(problem);
        Assert.Equal(param, problem.Param);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
    }

    [Fact]
    public void A_pro_plan_allows_a_higher_per_key_limit()
    {
        Assert.Null(KeySpecRules.Check(Valid with { RateLimitPerMinute = PlanCatalog.Default.Pro.PerMinute }, PlanCatalog.Default.Pro, Now, out _));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(24 * 60, true)]
    [InlineData(7 * 24 * 60, true)]
    [InlineData(7 * 24 * 60 + 1, false)]
    public void The_roll_grace_period_is_between_zero_and_seven_days(int minutes, bool allowed)
    {
        Assert.Equal(allowed, KeySpecRules.CheckGrace(TimeSpan.FromMinutes(minutes)) is null);
    }
}
