using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class RenameTests(NexusApp<RenameTests> app) : IClassFixture<NexusApp<RenameTests>>
{
    [Theory]
    [InlineData(Role.Owner)]
    [InlineData(Role.Admin)]
    public async Task Owners_and_admins_rename_the_org_trimmed_and_audited_and_every_page_shows_it_at_once(Role role)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Old Name");
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await app.Store.SetRoleAsync(email, role);

        var response = await client.PostFormAsync("/settings/name", [new("name", "  New Name  ")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("New Name", (await app.Store.LoadOrgAsync(org.Org.Id)).Name);
        var keys = await client.Http.GetStringAsync("/keys");
        Assert.Contains("<title>API keys · New Name · Nexus</title>", keys);
        Assert.DoesNotContain("Old Name", keys);
        Assert.Contains("Name saved.", await client.Http.GetStringAsync(response.Headers.Location!.OriginalString));
        var audit = await app.Store.AuditOfAsync(org.Org.Id, AuditActions.OrgRenamed);
        Assert.Equal(2, audit.Count); // one per mode
        Assert.All(audit, e => Assert.Equal((email, "name", "Old Name", "New Name"),
            (e.ActorLabel, e.Changes.Single().Field, e.Changes.Single().Before, e.Changes.Single().After)));
    }

    [Theory]
    [InlineData("", "Enter the name of your organization.")]
    [InlineData("   ", "Enter the name of your organization.")]
    [InlineData("x{81}", "Use at most 80 characters.")]
    [InlineData("x{100000}", "Use at most 80 characters.")]
    [InlineData("Tab\there", "Use letters, digits, spaces and punctuation only in the name: no line breaks, tabs or other control characters.")]
    public async Task An_invalid_name_is_refused_next_to_the_field_and_changes_nothing(string name, string message)
    {
        name = name.Replace("x{81}", new string('x', 81)).Replace("x{100000}", new string('x', 100_000));
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Kept Name");
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/name", [new("name", name)], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<p id=\"org-name-error\" class=\"field-error\">{message}</p>", html);
        Assert.True(html.Length < 200_000);
        Assert.Equal("Kept Name", (await app.Store.LoadOrgAsync(org.Org.Id)).Name);
        Assert.Empty(await app.Store.AuditOfAsync(org.Org.Id, AuditActions.OrgRenamed));
    }

    [Fact]
    public async Task Exactly_eighty_characters_is_allowed()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/name", [new("name", new string('n', 80))], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(80, (await app.Store.LoadOrgAsync(org.Org.Id)).Name.Length);
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Developer)]
    public async Task Viewers_and_developers_cannot_rename(Role role)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Fixed");
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await app.Store.SetRoleAsync(email, role);

        var page = await client.Http.GetStringAsync("/settings");
        var response = await client.PostFormAsync("/settings/name", [new("name", "Hijacked")], await client.TokenFromAsync("/settings"));

        Assert.DoesNotContain("id=\"rename-org\"", page);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Fixed", (await app.Store.LoadOrgAsync(org.Org.Id)).Name);
        Assert.Empty(await app.Store.AuditOfAsync(org.Org.Id, AuditActions.OrgRenamed));
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_changes()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Fixed");
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/name", [new("name", "Forged")], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Fixed", (await app.Store.LoadOrgAsync(org.Org.Id)).Name);
    }
}
