using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Keys;

/// <summary>Rolling from the dashboard, on a host whose clock the test moves.</summary>
public sealed class RollTests(ClockedNexusApp<RollTests> app) : IClassFixture<ClockedNexusApp<RollTests>>
{
    private TestClock Clock => app.Clock;

    [Fact]
    public async Task The_roll_form_offers_grace_periods_with_24_hours_chosen()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync(name: "Rollable");

        var form = await client.HtmxGetAsync($"/keys/{key.Id}/roll");

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        foreach (var minutes in new[] { 0, 60, 1440, 4320, 10080 }) Assert.Contains($"""value="{minutes}" """, html);
        Assert.Matches("""value="1440" class="sr-only" checked="checked" """, html);
        Assert.Contains($"""hx-post="/keys/{key.Id}/roll" """, html);
    }

    [Fact]
    public async Task A_rolled_key_shows_its_successor_once_and_counts_down_its_grace_in_the_table()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var created = await client.CreateKeyAsync("Payments");
        var oldPlaintext = DashboardClient.ShownKey(await created.Content.ReadAsStringAsync());
        var old = await app.Store.KeyNamedAsync(org.Org.Id, "Payments");

        var roll = await client.HtmxPostAsync($"/keys/{old.Id}/roll", [new("grace_minutes", "1440")]);

        Assert.Equal(HttpStatusCode.OK, roll.StatusCode);
        Assert.True(roll.Headers.CacheControl?.NoStore);
        Assert.Equal("keys-changed", roll.Headers.GetValues("HX-Trigger").Single());
        var html = await roll.Content.ReadAsStringAsync();
        var newPlaintext = DashboardClient.ShownKey(html);
        Assert.NotEqual(oldPlaintext, newPlaintext);
        Assert.Contains("keeps working for", html);
        Assert.Contains(">24 h</time>", html);

        var keys = await app.Store.KeysOfAsync(org.Org.Id);
        var successor = Assert.Single(keys, k => k.RolledFromKeyId == old.Id);
        var rolled = Assert.Single(keys, k => k.Id == old.Id);
        Assert.Equal((successor.Id, Clock.GetUtcNow().AddHours(24)), (rolled.RolledToKeyId, rolled.GraceEndsAt));

        Clock.Advance(TimeSpan.FromMinutes(48));
        var table = await client.Http.GetStringAsync("/keys/table");
        Assert.Matches(new Regex($"""data-key-id="{old.Id}".*?Stops working in <time[^>]*>23 h 12 min</time>.*?href="#key-{successor.Id}".*?</tr>""", RegexOptions.Singleline), table);
        // A key already rolled offers no second roll, but can still be revoked early.
        var oldRow = Regex.Match(table, $"""data-key-id="{old.Id}".*?</tr>""", RegexOptions.Singleline).Value;
        Assert.DoesNotContain("/roll", oldRow);
        Assert.Contains("/revoke", oldRow);

        foreach (var page in new[] { await client.Http.GetStringAsync("/keys"), table, await client.Http.GetStringAsync("/audit") })
        {
            Assert.DoesNotContain(oldPlaintext, page);
            Assert.DoesNotContain(newPlaintext, page);
        }
    }

    [Fact]
    public async Task Rolling_a_key_twice_explains_why_and_changes_nothing()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync(name: "Twice");
        await client.HtmxPostAsync($"/keys/{key.Id}/roll", [new("grace_minutes", "60")]);

        var again = await client.HtmxPostAsync($"/keys/{key.Id}/roll", [new("grace_minutes", "60")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var html = await again.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("""class="alert-error[^>]*>.*was already rolled to key_""", RegexOptions.Singleline), html);
        Assert.DoesNotContain("new-key-value", html);
        Assert.Equal(2, (await app.Store.KeysOfAsync(org.Org.Id)).Count);
        await using var session = app.Store.QuerySession();
        Assert.Equal(1, await session.Query<AuditEntry>().CountAsync(e => e.OrgId == org.Org.Id && e.Action == AuditActions.KeyRolled));
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("-60")]
    [InlineData("20160")]
    public async Task A_grace_period_that_is_not_offered_is_refused(string grace)
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync(name: "Odd grace " + grace);

        var response = await client.HtmxPostAsync($"/keys/{key.Id}/roll", [new("grace_minutes", grace)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose when the old key stops working.", await response.Content.ReadAsStringAsync());
        Assert.Single(await app.Store.KeysOfAsync(org.Org.Id));
    }

    [Fact]
    public async Task A_revoked_key_cannot_be_rolled()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, key) = await org.CreateKeyAsync(name: "Gone");
        await client.HtmxPostAsync($"/keys/{key.Id}/revoke");

        var response = await client.HtmxPostAsync($"/keys/{key.Id}/roll", [new("grace_minutes", "60")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("a revoked key cannot be rolled", await response.Content.ReadAsStringAsync());
        Assert.Single(await app.Store.KeysOfAsync(org.Org.Id));
    }
}
