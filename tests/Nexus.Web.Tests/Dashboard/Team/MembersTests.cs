using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Team;

public sealed class MembersTests(NexusApp<MembersTests> app) : IClassFixture<NexusApp<MembersTests>>
{
    [Fact]
    public async Task An_owner_changes_a_role_and_the_change_is_audited_with_before_and_after()
    {
        var team = await TeamAsync(Role.Developer);

        var response = await team.Owner.ChangeRoleAsync(team.MemberId, "Viewer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"{team.MemberEmail} is now a Viewer.", await response.Content.ReadAsStringAsync());
        Assert.Equal(Role.Viewer, (await app.Store.MembershipAsync(team.OrgId, team.MemberEmail))!.Role);
        var audit = await app.Store.AuditOfAsync(team.OrgId, AuditActions.MemberRoleChanged);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal((team.OwnerEmail, team.MemberEmail, "role", "developer", "viewer"),
            (e.ActorLabel, e.TargetLabel, e.Changes[0].Field, e.Changes[0].Before, e.Changes[0].After)));
        // The member's next request sees the new role: Viewers cannot create keys.
        Assert.Equal(HttpStatusCode.Forbidden, (await team.Member.CreateKeyAsync("as a viewer")).StatusCode);
    }

    [Fact]
    public async Task The_last_owner_cannot_be_demoted_removed_or_leave()
    {
        var team = await TeamAsync(Role.Owner);
        // Two owners: one may go. Then the remaining one is protected.
        Assert.Equal(HttpStatusCode.OK, (await team.Owner.ChangeRoleAsync(team.MemberId, "Admin")).StatusCode);
        var ownerId = (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Id;

        var demote = await team.Owner.ChangeRoleAsync(ownerId, "Admin");
        var leave = await team.Owner.LeaveAsync();
        var removeByOther = await team.Member.RemoveAsync(ownerId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, demote.StatusCode);
        Assert.Equal(TeamRules.LastOwner, TeamSteps.Problem(await demote.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, leave.StatusCode);
        Assert.Contains("You are the only Owner", TeamSteps.Problem(await leave.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, removeByOther.StatusCode);
        Assert.Equal(Role.Owner, (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Role);
        Assert.Equal(1, await OwnersAsync(team.OrgId));

        // The page says so instead of offering a Leave that would be refused; the other member may leave.
        var ownerPanel = await (await team.Owner.Http.GetAsync("/settings/members")).Content.ReadAsStringAsync();
        Assert.Contains("""<button type="button" class="btn" disabled aria-describedby="leave-problem" title="You are the only Owner.""", ownerPanel);
        Assert.DoesNotContain("hx-post=\"/settings/leave\"", ownerPanel);
        Assert.Contains("hx-post=\"/settings/leave\"", await (await team.Member.Http.GetAsync("/settings/members")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        var team = await TeamAsync(Role.Owner);
        var ownerId = (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Id;
        var (tokenA, tokenB) = (await team.Owner.TokenFromAsync("/settings"), await team.Member.TokenFromAsync("/settings"));

        await Task.WhenAll(
            team.Owner.HtmxPostAsync($"/settings/members/{team.MemberId}/role", [new("role", "Admin")], tokenA),
            team.Member.HtmxPostAsync($"/settings/members/{ownerId}/role", [new("role", "Admin")], tokenB));

        Assert.Equal(1, await OwnersAsync(team.OrgId));
    }

    [Theory]
    [InlineData(Role.Owner, false)]
    [InlineData(Role.Admin, false)]
    [InlineData(Role.Developer, true)]
    [InlineData(Role.Viewer, true)]
    public async Task An_admin_manages_only_developers_and_viewers(Role target, bool allowed)
    {
        var team = await TeamAsync(target);
        var admin = await JoinAsync(team.Owner, team.OrgId, "Admin");

        var change = await admin.Client.ChangeRoleAsync(team.MemberId, target == Role.Viewer ? "Developer" : "Viewer");
        var remove = await admin.Client.RemoveAsync(team.MemberId);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
            Assert.Null(await app.Store.MembershipAsync(team.OrgId, team.MemberEmail));
        }
        else
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, change.StatusCode);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, remove.StatusCode);
            Assert.Contains($"Admins cannot change the role of an {target}.", TeamSteps.Problem(await change.Content.ReadAsStringAsync()));
            Assert.Equal(target, (await app.Store.MembershipAsync(team.OrgId, team.MemberEmail))!.Role);
        }
    }

    [Fact]
    public async Task An_admin_cannot_make_anyone_an_owner()
    {
        var team = await TeamAsync(Role.Developer);
        var admin = await JoinAsync(team.Owner, team.OrgId, "Admin");

        var response = await admin.Client.ChangeRoleAsync(team.MemberId, "Owner");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("Admins cannot make someone an Owner.", TeamSteps.Problem(await response.Content.ReadAsStringAsync()));
        Assert.Equal(Role.Developer, (await app.Store.MembershipAsync(team.OrgId, team.MemberEmail))!.Role);
    }

    [Theory]
    [InlineData(Role.Developer)]
    [InlineData(Role.Viewer)]
    public async Task Developers_and_viewers_change_nothing(Role role)
    {
        var team = await TeamAsync(role);
        var ownerId = (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await team.Member.ChangeRoleAsync(ownerId, "Viewer")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.Member.ChangeRoleAsync(team.MemberId, "Admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.Member.RemoveAsync(ownerId)).StatusCode);
        Assert.Equal(Role.Owner, (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Role);
        Assert.Equal(role, (await app.Store.MembershipAsync(team.OrgId, team.MemberEmail))!.Role);
        var page = await team.Member.Http.GetStringAsync("/settings");
        Assert.Contains(team.OwnerEmail, page);
        Assert.DoesNotContain("/remove\"", page);
    }

    [Fact]
    public async Task A_removed_member_is_refused_on_their_next_request()
    {
        var team = await TeamAsync(Role.Developer);
        Assert.Equal(HttpStatusCode.OK, (await team.Member.Http.GetAsync("/keys")).StatusCode);

        var response = await team.Owner.RemoveAsync(team.MemberId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain($"data-member=\"{team.MemberEmail}\"", await response.Content.ReadAsStringAsync());
        var next = await team.Member.Http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.PathAndQuery);
        var htmx = await team.Member.HtmxGetAsync("/settings/members");
        Assert.Equal(HttpStatusCode.Unauthorized, htmx.StatusCode);
        var audit = await app.Store.AuditOfAsync(team.OrgId, AuditActions.MemberRemoved);
        Assert.All(audit, e => Assert.Equal((team.MemberEmail, "developer"), (e.TargetLabel, e.Changes[0].Before)));
        // Logging in again: no org is left, and the page says so.
        var login = await DashboardClient.For(app).LogInAsync(team.MemberEmail, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Contains("Your account is no longer a member of any organization.", await login.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_member_leaves_and_is_signed_out_when_no_org_is_left()
    {
        var team = await TeamAsync(Role.Viewer);

        var response = await team.Member.LeaveAsync();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("/login", response.Headers.GetValues("HX-Redirect").Single());
        Assert.Null(await app.Store.MembershipAsync(team.OrgId, team.MemberEmail));
        Assert.Equal(HttpStatusCode.Redirect, (await team.Member.Http.GetAsync("/keys")).StatusCode);
        var audit = await app.Store.AuditOfAsync(team.OrgId, AuditActions.MemberLeft);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.Equal((team.MemberEmail, team.MemberEmail), (e.ActorLabel, e.TargetLabel)));
    }

    [Fact]
    public async Task Nobody_removes_themselves_with_remove()
    {
        var team = await TeamAsync(Role.Owner);
        var ownerId = (await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail))!.Id;

        var response = await team.Owner.RemoveAsync(ownerId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(await app.Store.MembershipAsync(team.OrgId, team.OwnerEmail));
    }

    [Fact]
    public async Task Another_orgs_member_and_malformed_ids_are_404_and_bad_roles_are_refused()
    {
        var team = await TeamAsync(Role.Developer);
        var other = await TeamAsync(Role.Developer);

        foreach (var id in new[] { other.MemberId, "mem_nope", "x", new string('m', 3000) })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await team.Owner.ChangeRoleAsync(id, "Viewer")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await team.Owner.RemoveAsync(id)).StatusCode);
        }
        foreach (var role in new[] { "", "2", "Superuser", new string('A', 10_000) })
        {
            var response = await team.Owner.ChangeRoleAsync(team.MemberId, role);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("Choose Owner, Admin, Developer or Viewer.", TeamSteps.Problem(await response.Content.ReadAsStringAsync()));
        }
        var forged = await team.Owner.PostFormAsync($"/settings/members/{team.MemberId}/remove", [], token: null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(Role.Developer, (await app.Store.MembershipAsync(other.OrgId, other.MemberEmail))!.Role);
        Assert.Equal(Role.Developer, (await app.Store.MembershipAsync(team.OrgId, team.MemberEmail))!.Role);
    }

    [Fact]
    public async Task The_members_panel_states_the_rules()
    {
        var team = await TeamAsync(Role.Developer);

        var page = await team.Member.Http.GetStringAsync("/settings");

        Assert.Contains(System.Net.WebUtility.HtmlEncode(TeamRules.Summary), page);
    }

    private sealed record TeamSetup(DashboardClient Owner, string OwnerEmail, string OrgId, DashboardClient Member, string MemberEmail, string MemberId);

    /// <summary>An org with its owner and one more member with <paramref name="role"/>, who joined by invitation.</summary>
    private async Task<TeamSetup> TeamAsync(Role role)
    {
        var owner = DashboardClient.For(app);
        var ownerEmail = await owner.SignUpNewAsync();
        var orgId = (await app.Store.OrgOfAsync(app.Services, ownerEmail)).Org.Id;
        var (member, memberEmail, memberId) = await JoinAsync(owner, orgId, role.ToString());
        return new TeamSetup(owner, ownerEmail, orgId, member, memberEmail, memberId);
    }

    private async Task<(DashboardClient Client, string Email, string MembershipId)> JoinAsync(DashboardClient owner, string orgId, string role)
    {
        var email = DashboardClient.NewEmail();
        var client = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpByInvitationAsync(await owner.InviteLinkAsync(email, role))).StatusCode);
        return (client, email, (await app.Store.MembershipAsync(orgId, email))!.Id);
    }

    private async Task<int> OwnersAsync(string orgId)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<Membership>().CountAsync(m => m.OrgId == orgId && m.Role == Role.Owner);
    }
}
