using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class TwoFactorRequirementTests
{
    [Theory]
    [InlineData(Role.Owner, true, true, null)]
    [InlineData(Role.Owner, false, true, TeamRules.RequireTwoFactorOwnFirst)]
    [InlineData(Role.Owner, false, false, null)] // stopping needs no 2FA of one's own
    [InlineData(Role.Admin, true, true, TeamRules.RequireTwoFactorOwnersOnly)]
    [InlineData(Role.Admin, true, false, TeamRules.RequireTwoFactorOwnersOnly)]
    [InlineData(Role.Developer, true, true, TeamRules.RequireTwoFactorOwnersOnly)]
    [InlineData(Role.Viewer, true, false, TeamRules.RequireTwoFactorOwnersOnly)]
    public void Only_owners_with_their_own_two_factor_turn_the_requirement_on(Role actor, bool hasTwoFactor, bool on, string? problem) =>
        Assert.Equal(problem, TeamRules.RequireTwoFactorProblem(actor, hasTwoFactor, on));

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void Only_a_member_without_two_factor_in_an_org_that_requires_it_is_held(bool required, bool hasTwoFactor, bool held)
    {
        var org = new Organization { Name = "Acme", RequireTwoFactor = required };
        var user = new User { TotpSecret = hasTwoFactor ? "sealed" : null };
        Assert.Equal(held, TwoFactorRequirement.Blocks(org, user));
    }

    [Fact]
    public void The_refusal_to_turn_it_off_names_the_orgs()
    {
        Assert.Equal("You cannot turn it off while Acme requires it.", TwoFactorRequirement.CannotDisable(["Acme"]));
        Assert.Equal("You cannot turn it off while Acme, Beta and Gamma require it.", TwoFactorRequirement.CannotDisable(["Acme", "Beta", "Gamma"]));
        Assert.Equal("Acme requires two-factor authentication. Set it up to continue.", TwoFactorRequirement.Notice(new Organization { Name = "Acme" }));
    }
}
