using System.Net;
using System.Text.RegularExpressions;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Tests.Api.Usage;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>
/// The dashboard's mode (DashboardMode): named by the URL, remembered in the <c>nx_mode</c>
/// cookie from one page navigation to the next, and shown on every page.
/// </summary>
public sealed partial class ModeTests(NexusApp<ModeTests> app) : IClassFixture<NexusApp<ModeTests>>
{
    public static TheoryData<string> Pages => ["/keys", "/webhooks", "/logs", "/usage", "/audit", "/settings"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_says_which_mode_it_shows(string path)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var test = await client.Http.GetStringAsync(path + "?mode=test");
        var live = await client.Http.GetStringAsync(path + "?mode=live");

        Assert.Equal(("test", "Test"), ModeShown(test));
        Assert.Contains("id=\"test-mode-banner\"", test);
        Assert.Contains($"href=\"{path}?mode=live\"", test);
        Assert.Equal(("live", "Live"), ModeShown(live));
        Assert.DoesNotContain("test-mode-banner", live);
    }

    [Fact]
    public async Task A_new_account_starts_in_test_mode_and_a_chosen_mode_is_kept_from_page_to_page()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        Assert.Equal("test", ModeShown(await client.Http.GetStringAsync("/keys")).Body);

        var switched = await client.Http.GetAsync("/keys?mode=live");

        Assert.Matches("^nx_mode=live; max-age=31536000; path=/; samesite=lax; httponly$", switched.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("live", ModeShown(await client.Http.GetStringAsync("/logs")).Body);
        Assert.Equal("live", ModeShown(await client.Http.GetStringAsync("/audit")).Body);
        // A URL that names a mode wins over the remembered one, and becomes the remembered one.
        Assert.Equal("test", ModeShown(await client.Http.GetStringAsync("/webhooks?mode=test")).Body);
        Assert.Equal("test", ModeShown(await client.Http.GetStringAsync("/usage")).Body);
    }

    /// <summary>The remembered mode was added to the query, which binding prefers to the form: a live key from the test form.</summary>
    [Fact]
    public async Task A_form_that_names_its_mode_acts_in_it_whatever_another_tab_switched_to()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.Http.GetAsync("/keys?mode=test");
        var token = await client.TokenFromAsync("/keys");
        await client.Http.GetAsync("/keys?mode=live"); // another tab

        var created = await client.HtmxPostAsync("/keys", [new("name", "ci"), new("kind", "secret"), new("mode", "test"), new("scopes", "read:notes")], token);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.StartsWith("nx_test_", DashboardClient.ShownKey(await created.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Htmx_requests_from_an_older_tab_never_switch_the_remembered_mode()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.Http.GetAsync("/keys?mode=live");

        var poll = await client.HtmxGetAsync("/keys/table?mode=test");

        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.False(poll.Headers.Contains("Set-Cookie"));
        Assert.Equal("live", ModeShown(await client.Http.GetStringAsync("/keys")).Body);
    }

    [Fact]
    public async Task A_mode_the_dashboard_does_not_know_shows_test_and_changes_nothing()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.Http.GetAsync("/keys?mode=live");

        var odd = await client.Http.GetAsync("/keys?mode=production");

        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);
        Assert.Equal("test", ModeShown(await odd.Content.ReadAsStringAsync()).Body);
        Assert.False(odd.Headers.Contains("Set-Cookie"));
        Assert.Equal("live", ModeShown(await client.Http.GetStringAsync("/keys")).Body);
    }

    [Fact]
    public async Task A_request_log_opens_in_its_own_mode_and_that_mode_is_kept()
    {
        var client = DashboardClient.For(app);
        var org = await app.Store.OrgOfAsync(app.Services, await client.SignUpNewAsync());
        var (_, liveKey) = await org.CreateKeyAsync(Mode.Live);
        var log = UsageData.Log(org, liveKey, DateTimeOffset.UtcNow, 200);
        await org.StoreLogsAsync([log]);

        var page = await client.Http.GetStringAsync($"/logs/{log.Id}");

        Assert.Equal(("live", "Live"), ModeShown(page));
        // Its switch leads to the other mode's list, not to this request in a mode it is not in.
        Assert.Contains("href=\"/logs?mode=test\"", page);
        Assert.Equal("live", ModeShown(await client.Http.GetStringAsync("/logs")).Body);
    }

    [Fact]
    public async Task The_account_page_shows_no_mode_and_a_mode_in_its_url_is_not_remembered()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var account = await client.Http.GetAsync("/account?mode=live");

        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.False(account.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("class=\"mode-switch\"", await account.Content.ReadAsStringAsync());
        Assert.Equal("test", ModeShown(await client.Http.GetStringAsync("/keys")).Body);
        // Another page's URL still chooses the mode.
        var keys = await client.Http.GetAsync("/keys?mode=live");
        Assert.Matches("^nx_mode=live;", keys.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public void The_mode_free_routes_are_exactly_the_account_pages_and_forms()
    {
        var routes = DashboardRoute.All(app.Services);

        Assert.Empty(routes.Where(r => r.Has<ModeFree>() != r.IsUnder("/account")).Select(r => r.ToString()));
        Assert.Contains(routes, r => r.Has<ModeFree>() && r.Path == "/account");
    }

    /// <summary>The mode on the page's body and the switch's current segment.</summary>
    private static (string Body, string Switch) ModeShown(string html) =>
        (BodyMode().Match(html).Groups[1].Value, CurrentSegment().Match(html).Groups[1].Value);

    [GeneratedRegex("""<body [^>]*data-mode="(\w+)">""")]
    private static partial Regex BodyMode();

    [GeneratedRegex("""<nav class="mode-switch"[^>]*>.*?aria-current="page"[^>]*>\s*<span class="dot[^"]*"></span> (\w+)""", RegexOptions.Singleline)]
    private static partial Regex CurrentSegment();
}
