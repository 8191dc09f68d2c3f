using System.Net;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;
using Nexus.Shared.Notes;
using Nexus.Shared.Usage;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Api.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Settings;

public sealed class ResetTestDataTests(NexusApp<ResetTestDataTests> app) : IClassFixture<NexusApp<ResetTestDataTests>>
{
    private async Task<(DashboardClient Client, TestOrg Org, HttpClient Test, HttpClient Live)> OrgWithDataAsync()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync("Sandbox Co");
        var org = await app.Store.OrgOfAsync(app.Services, email);
        var test = await org.ClientWithKeyAsync(app.CreateClient());
        var live = await org.ClientWithKeyAsync(app.CreateClient(), Mode.Live);
        foreach (var api in new[] { test, live })
        {
            await ApiAssert.OkAsync(await api.PostJsonAsync("/api/v1/notes", """{"title":"Kept?","body":""}"""), HttpStatusCode.Created);
            await ApiAssert.OkAsync(await api.PostJsonAsync("/api/v1/customers", """{"name":"Kept?"}"""), HttpStatusCode.Created);
        }
        return (client, org, test, live);
    }

    private async Task<(int Notes, int Customers)> CountAsync(TestOrg org, Mode mode)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<Note>().CountAsync(n => n.OrgId == org.Org.Id && n.Mode == mode),
            await session.Query<Customer>().CountAsync(c => c.OrgId == org.Org.Id && c.Mode == mode));
    }

    [Fact]
    public async Task An_owner_deletes_the_test_data_and_live_data_keys_and_endpoints_stay()
    {
        var (client, org, test, _) = await OrgWithDataAsync();
        // Usage a log batch wrote and the worker has not folded yet, in each mode. (Only these are
        // checked: the batch logging the requests above may land after the reset, and count then.)
        var unfolded = new[] { Mode.Test, Mode.Live }.Select(mode => new UsageIncrement
        {
            Id = Ids.New("usginc"),
            Counts = new UsageRecord { Id = UsageRecord.IdFor(org.Org.Id, mode, "key_x", DateTimeOffset.UtcNow, "GET", "/api/v1/notes"), OrgId = org.Org.Id, Mode = mode, Requests = 1 },
        }).ToList();
        await app.Store.BulkInsertDocumentsAsync(unfolded);

        var response = await client.PostFormAsync("/settings/reset-test-data", [new("confirm", "Sandbox Co")], await client.TokenFromAsync("/settings"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal((0, 0), await CountAsync(org, Mode.Test));
        Assert.Equal((1, 1), await CountAsync(org, Mode.Live));
        await using (var usage = app.Store.QuerySession())
            Assert.Equal([Mode.Live], (await usage.LoadManyAsync<UsageIncrement>(unfolded.Select(i => i.Id))).Select(i => i.Counts.Mode));
        // The test key still works, on an empty sandbox.
        var notes = await ApiAssert.OkAsync(await test.GetAsync("/api/v2/notes"));
        Assert.Empty(notes.GetProperty("data").EnumerateArray());
        await using var session = app.Store.QuerySession();
        var entry = Assert.Single(await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.OrgTestDataReset).ToListAsync());
        Assert.Equal(Mode.Test, entry.Mode);
        Assert.Contains("Test data deleted", await client.Http.GetStringAsync("/settings?reset=done"));
    }

    [Fact]
    public async Task Test_endpoints_stay_with_their_failure_streak_cleared_and_their_state_kept()
    {
        var (client, org, _, _) = await OrgWithDataAsync();
        var (failing, _) = await org.CreateEndpointAsync();
        var (off, _) = await org.CreateEndpointAsync(enabled: false);
        var (live, _) = await org.CreateEndpointAsync(Mode.Live);
        await using (var session = app.Store.LightweightSession())
        {
            foreach (var id in new[] { failing.Id, off.Id, live.Id }) session.Patch<WebhookEndpoint>(id).Set(e => e.ConsecutiveDeadLetters, 3);
            await session.SaveChangesAsync();
        }

        await client.PostFormAsync("/settings/reset-test-data", [new("confirm", "Sandbox Co")], await client.TokenFromAsync("/settings"));

        await using var query = app.Store.QuerySession();
        var after = (await query.LoadManyAsync<WebhookEndpoint>(failing.Id, off.Id, live.Id)).ToDictionary(e => e.Id);
        Assert.Equal((0, true), (after[failing.Id].ConsecutiveDeadLetters, after[failing.Id].Enabled));
        Assert.Equal((0, false), (after[off.Id].ConsecutiveDeadLetters, after[off.Id].Enabled));
        Assert.Equal(3, after[live.Id].ConsecutiveDeadLetters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sandbox co")]
    [InlineData("Another Org")]
    public async Task Without_the_org_name_typed_exactly_nothing_is_deleted(string confirm)
    {
        var (client, org, _, _) = await OrgWithDataAsync();
        var response = await client.PostFormAsync("/settings/reset-test-data", [new("confirm", confirm)], await client.TokenFromAsync("/settings"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/settings?reset=unconfirmed#reset-test-data", response.Headers.Location?.OriginalString);
        Assert.Equal((1, 1), await CountAsync(org, Mode.Test));
        // The form it leads back to says why, in place.
        var page = await client.Http.GetStringAsync("/settings?reset=unconfirmed");
        Assert.Contains("Nothing was deleted: type the organization's name, <strong>Sandbox Co</strong>", page);
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.Developer)]
    public async Task Only_owners_and_admins_may_reset(Role role)
    {
        var (client, org, _, _) = await OrgWithDataAsync();
        await app.Store.SetRoleAsync(org.Owner.Email, role);
        var response = await client.PostFormAsync("/settings/reset-test-data", [new("confirm", "Sandbox Co")], await client.TokenFromAsync("/settings"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal((1, 1), await CountAsync(org, Mode.Test));
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_is_deleted()
    {
        var (client, org, _, _) = await OrgWithDataAsync();
        var response = await client.PostFormAsync("/settings/reset-test-data", [new("confirm", "Sandbox Co")], token: null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((1, 1), await CountAsync(org, Mode.Test));
    }
}
