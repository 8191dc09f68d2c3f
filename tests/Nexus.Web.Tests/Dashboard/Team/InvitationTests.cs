using System.Net;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Team;

public sealed class InvitationTests(NexusApp<InvitationTests> app) : IClassFixture<NexusApp<InvitationTests>>
{
    [Theory]
    [InlineData(Role.Owner, "Owner", true)]
    [InlineData(Role.Owner, "Admin", true)]
    [InlineData(Role.Admin, "Owner", false)]
    [InlineData(Role.Admin, "Admin", true)]
    [InlineData(Role.Admin, "Developer", true)]
    [InlineData(Role.Admin, "Viewer", true)]
    public async Task Owners_invite_any_role_and_admins_any_but_owner(Role inviter, string role, bool allowed)
    {
        var (client, email, org) = await app.OwnerAsync();
        await app.Store.SetRoleAsync(email, inviter);
        var invited = DashboardClient.NewEmail();

        var response = await client.InviteAsync(invited, role);

        var html = await response.Content.ReadAsStringAsync();
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("http://localhost/invitations/nxinv_", TeamSteps.ShownLink(html));
            Assert.True(response.Headers.CacheControl?.NoStore);
            var stored = Assert.Single(await PendingAsync(org.Org.Id));
            Assert.Equal((invited, Enum.Parse<Role>(role)), (stored.Email, stored.Role));
        }
        else
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("Only Owners can invite an Owner.", html);
            Assert.Empty(await PendingAsync(org.Org.Id));
        }
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Developer)]
    public async Task Developers_and_viewers_cannot_invite(Role role)
    {
        var (client, email, org) = await app.OwnerAsync();
        await app.Store.SetRoleAsync(email, role);

        var response = await client.InviteAsync(DashboardClient.NewEmail(), "Viewer");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await PendingAsync(org.Org.Id));
        Assert.DoesNotContain("id=\"invite-form\"", await client.Http.GetStringAsync("/settings"));
    }

    [Theory]
    [InlineData("not-an-email", "Viewer", "email")]
    [InlineData("", "Developer", "email")]
    [InlineData("someone@example.test", "Superuser", "role")]
    [InlineData("someone@example.test", "3", "role")]
    [InlineData("someone@example.test", "", "role")]
    public async Task Bad_invite_input_is_an_inline_error_and_stores_nothing(string email, string role, string field)
    {
        var (client, _, org) = await app.OwnerAsync();

        var response = await client.InviteAsync(email, role);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"id=\"invite-{field}-error\"", html);
        // The form comes back with what was typed; an unknown role shows Developer, not the first option (Owner).
        var shown = role is "Viewer" or "Developer" ? role : "Developer";
        Assert.Contains($"<option value=\"{shown}\" selected=\"selected\">", html);
        Assert.Empty(await PendingAsync(org.Org.Id));
    }

    [Fact]
    public async Task An_oversized_email_is_refused()
    {
        var (client, _, org) = await app.OwnerAsync();

        var response = await client.InviteAsync(new string('a', 5000) + "@example.test", "Developer");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(await PendingAsync(org.Org.Id));
    }

    [Fact]
    public async Task Inviting_a_member_is_refused_next_to_the_email()
    {
        var (client, email, org) = await app.OwnerAsync();

        var response = await client.InviteAsync(email.ToUpperInvariant(), "Viewer");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"{email} is already a member of Acme Inc.", await response.Content.ReadAsStringAsync());
        Assert.Empty(await PendingAsync(org.Org.Id));
    }

    [Fact]
    public async Task A_new_invitation_to_the_same_email_replaces_the_pending_one()
    {
        var (client, _, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var first = await client.InviteLinkAsync(invited, "Viewer");

        var second = await client.InviteLinkAsync(invited, "Developer");

        var pending = Assert.Single(await PendingAsync(org.Org.Id));
        Assert.Equal(Role.Developer, pending.Role);
        var anonymous = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.Http.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync(second)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.SignUpByInvitationAsync(first)).StatusCode);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, invited));
    }

    [Fact]
    public async Task A_revoked_invitation_stops_working_is_audited_and_leaves_the_list()
    {
        var (client, email, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await client.InviteLinkAsync(invited, "Developer");
        var id = Assert.Single(await PendingAsync(org.Org.Id)).Id;

        var response = await client.HtmxPostAsync($"/settings/invitations/{id}/revoke", [], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"Invitation for {invited} revoked.", html);
        Assert.Contains("No pending invitations.", html);
        Assert.Empty(await PendingAsync(org.Org.Id));
        var invitee = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.NotFound, (await invitee.Http.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await invitee.SignUpByInvitationAsync(link)).StatusCode);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, invited));
        var audit = await app.Store.AuditOfAsync(org.Org.Id, AuditActions.InvitationRevoked);
        Assert.Equal(2, audit.Count); // one per mode
        Assert.All(audit, e => Assert.Equal((email, invited, id), (e.ActorLabel, e.TargetLabel, e.TargetId)));

        var again = await client.HtmxPostAsync($"/settings/invitations/{id}/revoke", [], await client.TokenFromAsync("/settings"));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Another_orgs_invitation_cannot_be_revoked_and_bad_ids_are_404()
    {
        var (owner, _, _) = await app.OwnerAsync();
        await owner.InviteLinkAsync(DashboardClient.NewEmail());
        var (other, _, otherOrg) = await app.OwnerAsync();
        var otherLink = await other.InviteLinkAsync(DashboardClient.NewEmail());
        var otherId = Assert.Single(await PendingAsync(otherOrg.Org.Id)).Id;

        foreach (var id in new[] { otherId, "inv_nope", "x", new string('9', 3000) })
        {
            var response = await owner.HtmxPostAsync($"/settings/invitations/{id}/revoke", [], await owner.TokenFromAsync("/settings"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Single(await PendingAsync(otherOrg.Org.Id));
        Assert.Equal(HttpStatusCode.OK, (await DashboardClient.For(app).Http.GetAsync(otherLink)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_revoke_an_owner_invitation()
    {
        var (owner, _, org) = await app.OwnerAsync();
        await owner.InviteLinkAsync(DashboardClient.NewEmail(), "Owner");
        var adminEmail = DashboardClient.NewEmail();
        var admin = DashboardClient.For(app);
        await admin.SignUpByInvitationAsync(await owner.InviteLinkAsync(adminEmail, "Admin"));
        var id = (await PendingAsync(org.Org.Id)).Single(i => i.Role == Role.Owner).Id;

        var response = await admin.HtmxPostAsync($"/settings/invitations/{id}/revoke", [], await admin.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Only Owners can revoke", TeamSteps.Problem(await response.Content.ReadAsStringAsync()));
        Assert.Contains(await PendingAsync(org.Org.Id), i => i.Id == id);
    }

    [Fact]
    public async Task An_invitation_works_for_seven_days_and_then_no_more()
    {
        // Whole seconds: PostgreSQL keeps microseconds, so a start with finer ticks would blur the boundary by 100 ns.
        var clock = new TestClock(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var owner = DashboardClient.For(host);
        var ownerEmail = await owner.SignUpNewAsync();
        var late = await owner.InviteLinkAsync(DashboardClient.NewEmail());
        var onTime = await owner.InviteLinkAsync(DashboardClient.NewEmail());

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await DashboardClient.For(host).Http.GetAsync(late)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardClient.For(host).SignUpByInvitationAsync(onTime)).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = DashboardClient.For(host);
        var page = await expired.Http.GetAsync(late);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("This invitation link is not valid", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await expired.SignUpByInvitationAsync(late)).StatusCode);
        // A fresh session: the owner's is a week old.
        var ownerAgain = DashboardClient.For(host);
        Assert.Equal(HttpStatusCode.Redirect, (await ownerAgain.LogInAsync(ownerEmail, DashboardClient.Password)).StatusCode);
        Assert.Contains("No pending invitations.", await ownerAgain.Http.GetStringAsync("/settings"));
    }

    [Fact]
    public async Task An_invitation_is_used_once()
    {
        var (owner, _, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited);
        var invitee = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await invitee.SignUpByInvitationAsync(link)).StatusCode);

        var again = await invitee.AcceptAsync(link);
        var page = await DashboardClient.For(app).Http.GetAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Single(await app.Store.MembershipsOfAsync(invited));
        Assert.Empty(await PendingAsync(org.Org.Id));
    }

    [Fact]
    public async Task Concurrent_accepts_of_one_invitation_give_one_membership()
    {
        var (owner, _, org) = await app.OwnerAsync();
        // The invitee has an account (and an org) already, and two tabs open on the link.
        var invitee = DashboardClient.For(app);
        var invited = await invitee.SignUpNewAsync("Invitee Co");
        var link = await owner.InviteLinkAsync(invited);
        var token = await invitee.TokenFromAsync("/settings");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            invitee.PostFormAsync(link, [], token)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.NotFound }));
        Assert.NotNull(await app.Store.MembershipAsync(org.Org.Id, invited));
        Assert.Equal(2, (await app.Store.MembershipsOfAsync(invited)).Count);
        Assert.Equal(2, (await app.Store.AuditOfAsync(org.Org.Id, AuditActions.MemberJoined)).Count); // one join, in each mode
    }

    [Fact]
    public async Task Concurrent_signups_from_one_invitation_give_one_account_and_one_membership()
    {
        var (owner, _, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited);
        var clients = Enumerable.Range(0, 4).Select(_ => DashboardClient.For(app)).ToList();
        var tokens = await Task.WhenAll(clients.Select(c => c.TokenFromAsync("/login")));

        var responses = await Task.WhenAll(clients.Select((c, i) =>
            c.PostFormAsync("/invitations/signup", [new("token", TeamSteps.TokenOf(link)), new("password", DashboardClient.Password)], tokens[i])));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500));
        Assert.Single(await app.Store.MembershipsOfAsync(invited));
    }

    [Fact]
    public async Task The_token_is_stored_only_as_a_hash_and_appears_nowhere_in_the_database()
    {
        var (owner, _, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited, "Admin");
        var token = TeamSteps.TokenOf(link);
        await DashboardClient.For(app).SignUpByInvitationAsync(link);
        var second = await owner.InviteLinkAsync(DashboardClient.NewEmail(), "Viewer");

        await using var session = app.Store.QuerySession();
        var stored = await session.Query<Invitation>().Where(i => i.OrgId == org.Org.Id).ToListAsync();
        Assert.Contains(stored, i => i.TokenHash == LinkTokens.Hash(token));
        var rows = await TestDatabase.RowsAsync(app.Schema);
        Assert.Contains(rows, r => r.Table == "mt_doc_invitation");
        foreach (var secret in new[] { token, token["nxinv_".Length..], TeamSteps.TokenOf(second)["nxinv_".Length..] })
            Assert.DoesNotContain(rows, r => r.Text.Contains(secret, StringComparison.Ordinal));
        // The settings page no longer shows it either.
        Assert.DoesNotContain(token["nxinv_".Length..], await owner.Http.GetStringAsync("/settings"));
        Assert.Equal(HttpStatusCode.OK, (await DashboardClient.For(app).Http.GetAsync(second)).StatusCode);
    }

    [Fact]
    public async Task No_log_entry_holds_the_token_even_with_the_frameworks_logging_raised()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = app.WithWebHostBuilder(logs.AttachWithFrameworkAtInformation);
        var owner = DashboardClient.For(host);
        await owner.SignUpNewAsync();
        var link = await owner.InviteLinkAsync(DashboardClient.NewEmail());
        var invitee = DashboardClient.For(host);

        await invitee.Http.GetAsync(link);
        // "Join" without a session: sent to log in, with the invitation as the return URL.
        var challenged = await invitee.PostFormAsync(link, [], await invitee.TokenFromAsync("/login"));
        await invitee.Http.GetAsync(challenged.Headers.Location);
        await invitee.SignUpByInvitationAsync(link, "short");
        await invitee.SignUpByInvitationAsync(link);
        await invitee.Http.GetAsync(link); // used: the invalid page
        await invitee.AcceptAsync(link);

        var secret = TeamSteps.TokenOf(link)["nxinv_".Length..];
        Assert.True(logs.HasFrameworkInformation); // the capture sees the framework's lines an operator could turn on
        Assert.DoesNotContain(logs.Entries, e => e.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inviting_is_audited_with_role_and_expiry_and_never_the_token()
    {
        var (owner, email, org) = await app.OwnerAsync();
        var invited = DashboardClient.NewEmail();
        var link = await owner.InviteLinkAsync(invited, "Viewer");

        var audit = await app.Store.AuditOfAsync(org.Org.Id, AuditActions.MemberInvited);

        Assert.Equal(2, audit.Count);
        Assert.All(audit, e =>
        {
            Assert.Equal((email, "invitation", invited), (e.ActorLabel, e.TargetType, e.TargetLabel));
            Assert.Contains(e.Changes, c => c is { Field: "role", Before: null, After: "viewer" });
            Assert.Contains(e.Changes, c => c.Field == "expires_at");
            Assert.DoesNotContain(e.Changes, c => (c.After ?? "").Contains(TeamSteps.TokenOf(link)[6..]));
        });
        using var api = await org.ClientWithKeyAsync(app.CreateClient(), scopes: ["admin:all"]);
        var listed = await api.GetStringAsync("/api/v1/audit-log?action=member.invited");
        Assert.Contains("\"member.invited\"", listed);
        Assert.Contains(invited, listed);
    }

    private async Task<IReadOnlyList<Invitation>> PendingAsync(string orgId)
    {
        var now = DateTimeOffset.UtcNow;
        await using var session = app.Store.QuerySession();
        return await session.Query<Invitation>().Where(i => i.OrgId == orgId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now).ToListAsync();
    }
}
