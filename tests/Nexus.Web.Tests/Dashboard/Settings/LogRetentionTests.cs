using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class LogRetentionTests(NexusApp<LogRetentionTests> app) : IClassFixture<NexusApp<LogRetentionTests>>
{
    [Fact]
    public async Task An_owner_shortens_the_retention_and_the_settings_and_logs_pages_say_so()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        Assert.Contains("Kept for 30 days", await client.Http.GetStringAsync("/logs"));

        var response = await client.PostFormAsync("/settings/log-retention", [new("days", "7")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(7, (await app.Store.LoadOrgAsync(org.Org.Id)).RequestLogRetentionDays);
        Assert.Contains("<option value=\"7\" selected=\"selected\">7 days</option>", await client.Http.GetStringAsync("/settings"));
        Assert.Contains("Kept for 7 days", await client.Http.GetStringAsync("/logs"));
        var audit = await AuditAsync(org.Org.Id);
        Assert.Equal(2, audit.Count); // one per mode
        Assert.All(audit, e => Assert.Equal((email, "request_log_retention_days", "30", "7"),
            (e.ActorLabel, e.Changes.Single().Field, e.Changes.Single().Before, e.Changes.Single().After)));
    }

    [Fact]
    public async Task Saving_the_retention_it_already_has_records_nothing()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/log-retention", [new("days", "30")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(await AuditAsync(org.Org.Id));
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Developer)]
    public async Task Only_owners_and_admins_may_change_it(Role role)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await app.Store.SetRoleAsync(email, role);
        var settings = await client.Http.GetStringAsync("/settings");
        Assert.Contains("<select id=\"retention-days\" name=\"days\" class=\"input w-auto\" disabled>", settings);

        var response = await client.PostFormAsync("/settings/log-retention", [new("days", "7")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(RequestLogRetention.DefaultDays, (await app.Store.LoadOrgAsync(org.Org.Id)).RequestLogRetentionDays);
        Assert.Empty(await AuditAsync(org.Org.Id));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("91")]
    [InlineData("-7")]
    [InlineData("+7")]
    [InlineData(" 7")]
    [InlineData("7.0")]
    [InlineData("99999999999")]
    [InlineData("seven")]
    [InlineData("")]
    public async Task A_retention_not_offered_is_400_and_changes_nothing(string days)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/log-retention", [new("days", days)], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Choose one of 1, 3, 7, 14, 30, 60, 90 days.", await response.Content.ReadAsStringAsync());
        Assert.Equal(RequestLogRetention.DefaultDays, (await app.Store.LoadOrgAsync(org.Org.Id)).RequestLogRetentionDays);
        Assert.Empty(await AuditAsync(org.Org.Id));
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_changes()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/log-retention", [new("days", "7")], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(RequestLogRetention.DefaultDays, (await app.Store.LoadOrgAsync(org.Org.Id)).RequestLogRetentionDays);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string orgId)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<AuditEntry>().Where(e => e.OrgId == orgId && e.Action == AuditActions.OrgLogRetentionChanged).ToListAsync();
    }
}
