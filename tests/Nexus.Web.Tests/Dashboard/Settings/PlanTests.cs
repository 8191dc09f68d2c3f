using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class PlanTests(NexusApp<PlanTests> app) : IClassFixture<NexusApp<PlanTests>>
{
    [Fact]
    public async Task An_owner_switches_to_pro_and_the_api_allows_the_pro_limit_from_the_next_request()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        using var api = app.CreateClient().WithKey((await org.CreateKeyAsync()).Plaintext);
        Assert.Equal("10", Limit(await api.GetAsync("/api/v1/notes")));

        var response = await client.PostFormAsync("/settings/plan", [new("plan", "pro")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Plan.Pro, (await app.Store.LoadOrgAsync(org.Org.Id)).Plan);
        Assert.Equal("100", Limit(await WaitForLimitAsync(api, "100")));
        var page = await client.Http.GetStringAsync("/settings");
        Assert.Contains("Switch to Free", page);
        var audit = await AuditAsync(org.Org.Id);
        Assert.Equal(2, audit.Count); // one per mode
        Assert.All(audit, e => Assert.Equal((AuditActions.OrgPlanChanged, email, "free", "pro"),
            (e.Action, e.ActorLabel, e.Changes.Single().Before, e.Changes.Single().After)));
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Developer)]
    public async Task Only_owners_and_admins_may_change_the_plan(Role role)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);
        await app.Store.SetRoleAsync(email, role);

        var response = await client.PostFormAsync("/settings/plan", [new("plan", "pro")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(Plan.Free, (await app.Store.LoadOrgAsync(org.Org.Id)).Plan);
        Assert.Empty(await AuditAsync(org.Org.Id));
    }

    [Theory]
    [InlineData("gold")]
    [InlineData("")]
    [InlineData("1")]
    public async Task An_unknown_plan_is_400_and_changes_nothing(string plan)
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/plan", [new("plan", plan)], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Plan.Free, (await app.Store.LoadOrgAsync(org.Org.Id)).Plan);
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_changes()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var response = await client.PostFormAsync("/settings/plan", [new("plan", "pro")], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Plan.Free, (await app.Store.LoadOrgAsync(org.Org.Id)).Plan);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string orgId)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<AuditEntry>().Where(e => e.OrgId == orgId && e.Action == AuditActions.OrgPlanChanged).ToListAsync();
    }

    /// <summary>The eviction travels by NOTIFY: ask again for a moment.</summary>
    private static async Task<HttpResponseMessage> WaitForLimitAsync(HttpClient api, string limit)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await api.GetAsync("/api/v1/notes");
            if (Limit(response) == limit || attempt >= 100) return response;
            await Task.Delay(10);
        }
    }

    private static string Limit(HttpResponseMessage r) =>
        r.Headers.TryGetValues("X-RateLimit-Limit", out var v) ? string.Join(",", v) : "(none)";
}
