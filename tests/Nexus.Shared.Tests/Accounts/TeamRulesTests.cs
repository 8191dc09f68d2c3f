using Nexus.Shared.Accounts;

namespace Nexus.Shared.Tests.Accounts;

public sealed class TeamRulesTests
{
    [Theory]
    [InlineData(Role.Owner, new[] { Role.Owner, Role.Admin, Role.Developer, Role.Viewer })]
    [InlineData(Role.Admin, new[] { Role.Admin, Role.Developer, Role.Viewer })]
    [InlineData(Role.Developer, new Role[0])]
    [InlineData(Role.Viewer, new Role[0])]
    public void Each_role_grants_these_roles(Role actor, Role[] grantable) =>
        Assert.Equal(grantable, TeamRules.Grantable(actor));

    [Theory]
    [InlineData(Role.Owner, Role.Owner, true)]
    [InlineData(Role.Owner, Role.Admin, true)]
    [InlineData(Role.Admin, Role.Owner, false)]
    [InlineData(Role.Admin, Role.Admin, false)]
    [InlineData(Role.Admin, Role.Developer, true)]
    [InlineData(Role.Admin, Role.Viewer, true)]
    [InlineData(Role.Developer, Role.Viewer, false)]
    [InlineData(Role.Viewer, Role.Viewer, false)]
    public void Who_manages_whom(Role actor, Role target, bool allowed) =>
        Assert.Equal(allowed, TeamRules.CanManage(actor, target));

    [Fact]
    public void The_last_owner_is_kept()
    {
        Assert.Equal(TeamRules.LastOwner, TeamRules.RoleChangeProblem(Role.Owner, Role.Owner, Role.Admin, owners: 1));
        Assert.Equal(TeamRules.LastOwner, TeamRules.RemovalProblem(Role.Owner, Role.Owner, owners: 1));
        Assert.NotNull(TeamRules.LeaveProblem(Role.Owner, owners: 1));
        Assert.Null(TeamRules.RoleChangeProblem(Role.Owner, Role.Owner, Role.Admin, owners: 2));
        Assert.Null(TeamRules.RemovalProblem(Role.Owner, Role.Owner, owners: 2));
        Assert.Null(TeamRules.LeaveProblem(Role.Owner, owners: 2));
        Assert.Null(TeamRules.LeaveProblem(Role.Viewer, owners: 1));
        // Keeping an owner an owner is no demotion.
        Assert.Null(TeamRules.RoleChangeProblem(Role.Owner, Role.Owner, Role.Owner, owners: 1));
    }

    [Fact]
    public void An_admin_may_promote_a_developer_to_admin_but_not_to_owner()
    {
        Assert.Null(TeamRules.RoleChangeProblem(Role.Admin, Role.Developer, Role.Admin, owners: 1));
        Assert.Equal("Admins cannot make someone an Owner.", TeamRules.RoleChangeProblem(Role.Admin, Role.Developer, Role.Owner, owners: 1));
    }
}
