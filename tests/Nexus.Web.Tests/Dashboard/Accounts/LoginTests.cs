using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Accounts;

public sealed partial class LoginTests(NexusApp<LoginTests> app) : IClassFixture<NexusApp<LoginTests>>
{
    private const string Incorrect = "Incorrect email or password.";
    private const string TooMany = "Too many attempts, try again later.";

    [Fact]
    public async Task Correct_password_signs_in_and_goes_to_keys()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var client = DashboardClient.For(app);

        var response = await client.LogInAsync(email.ToUpperInvariant(), DashboardClient.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/keys", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/keys")).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_answer()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();

        var wrongPassword = await DashboardClient.For(app).LogInAsync(email, "not the password at all");
        var unknownUser = await DashboardClient.For(app).LogInAsync(DashboardClient.NewEmail(), "not the password at all");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownUser.StatusCode);
        var (a, b) = (Alert(await wrongPassword.Content.ReadAsStringAsync()), Alert(await unknownUser.Content.ReadAsStringAsync()));
        Assert.Contains(Incorrect, a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var email = await new DashboardClient(host.CreateClient(new() { AllowAutoRedirect = false })).SignUpNewAsync();
        var client = new DashboardClient(host.CreateClient(new() { AllowAutoRedirect = false }));

        for (var i = 1; i < 5; i++)
        {
            var failure = await client.LogInAsync(email, "wrong password " + i);
            Assert.DoesNotContain(TooMany, Alert(await failure.Content.ReadAsStringAsync()));
        }
        var fifth = await client.LogInAsync(email, "wrong password 5");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        var fifthAlert = Alert(await fifth.Content.ReadAsStringAsync());
        Assert.Contains(Incorrect, fifthAlert);
        Assert.Contains(TooMany, fifthAlert);

        clock.Advance(TimeSpan.FromMinutes(14));
        var whileLocked = await client.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, whileLocked.StatusCode);
        Assert.Contains(TooMany, Alert(await whileLocked.Content.ReadAsStringAsync()));

        clock.Advance(TimeSpan.FromMinutes(2));
        var afterLock = await client.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.Redirect, afterLock.StatusCode);
        await using var session = app.Store.QuerySession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        Assert.Equal(0, user.FailedLogins);
        Assert.Null(user.LockedUntil);
    }

    [Fact]
    public async Task An_unknown_email_locks_out_exactly_like_a_real_account()
    {
        var client = DashboardClient.For(app);
        var email = DashboardClient.NewEmail();

        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 6; i++)
        {
            var response = await client.LogInAsync(email, "whatever password");
            answers.Add((response.StatusCode, Alert(await response.Content.ReadAsStringAsync())));
        }

        Assert.All(answers[..4], a => Assert.Equal(HttpStatusCode.UnprocessableEntity, a.Item1));
        Assert.All(answers[4..], a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Item1));
        Assert.All(answers[4..], a => Assert.Contains(TooMany, a.Item2));
    }

    [Fact]
    public async Task Logout_invalidates_the_old_cookie_on_the_server()
    {
        var client = DashboardClient.For(app);
        var signup = await client.SignUpAsync(DashboardClient.NewEmail());
        var oldCookie = signup.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("nexus_session=")).Split(';')[0];

        var logout = await client.PostFormAsync("/logout", [], await client.TokenFromAsync("/keys"));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/login", logout.Headers.Location?.OriginalString);

        // Someone who kept a copy of the cookie replays it.
        var replay = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/keys");
        request.Headers.Add("Cookie", oldCookie);
        var response = await replay.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_returns_to_the_page_that_asked_for_it_but_never_off_site()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var client = DashboardClient.For(app);
        var token = await client.TokenFromAsync("/login");

        var local = await client.PostFormAsync("/login",
            [new("email", email), new("password", DashboardClient.Password), new("return_url", "/settings")], token);
        var other = DashboardClient.For(app);
        var offSite = await other.PostFormAsync("/login",
            [new("email", email), new("password", DashboardClient.Password), new("return_url", "//evil.example/")],
            await other.TokenFromAsync("/login"));

        Assert.Equal("/settings", local.Headers.Location?.OriginalString);
        Assert.Equal("/keys", offSite.Headers.Location?.OriginalString);
    }

    /// <summary>The text of the page's error box ("" when there is none).</summary>
    private static string Alert(string html)
    {
        var match = AlertBox().Match(html);
        return match.Success ? Regex.Replace(match.Groups[1].Value, "<[^>]+>|\\s+", " ").Trim() : "";
    }

    [GeneratedRegex("""<div class="alert-error[^"]*" role="alert">(.*?)</div>\s*</div>""", RegexOptions.Singleline)]
    private static partial Regex AlertBox();
}
