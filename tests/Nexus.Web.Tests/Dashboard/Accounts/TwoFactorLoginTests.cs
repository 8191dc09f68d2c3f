using System.Net;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard.Account;
using Nexus.Web.Tests.Dashboard.Team;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Accounts;

public sealed class TwoFactorLoginTests(ClockedApp<TwoFactorLoginTests> app) : IClassFixture<ClockedApp<TwoFactorLoginTests>>
{
    private const string Wrong = "That code is not right. Check your authenticator app and try again.";
    private const string TooMany = "Too many attempts, try again later.";

    /// <summary>An account with two-factor authentication on, logged out; its secret and recovery codes.</summary>
    private async Task<(string Email, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolledAsync()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, codes) = await client.EnableTwoFactorAsync(app.Clock);
        await client.LogOutAsync();
        return (email, secret, codes);
    }

    [Fact]
    public async Task The_password_alone_opens_no_session_but_asks_for_the_code()
    {
        var (email, _, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);

        var login = await client.LogInAsync(email, DashboardClient.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/login/code", login.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(login));
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("nexus_2fa=") && c.Contains("httponly") && c.Contains("path=/login"));
        Assert.Contains("Authentication code", await client.Http.GetStringAsync("/login/code"));
        var keys = await client.Http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.Redirect, keys.StatusCode);
        Assert.StartsWith("/login", keys.Headers.Location?.PathAndQuery ?? keys.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_counted_and_the_right_one_signs_in()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);
        var right = CodeAt(secret, app.Clock);
        var wrong = right == "000000" ? "111111" : "000000";

        var refused = await client.EnterCodeAsync(wrong);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.False(SetsSessionCookie(refused));
        Assert.Equal(Wrong, FieldError(await refused.Content.ReadAsStringAsync(), "code"));
        Assert.Equal(1, (await app.Store.UserAsync(email)).FailedLogins);

        var accepted = await client.EnterCodeAsync(right);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/keys", accepted.Headers.Location?.OriginalString);
        Assert.True(SetsSessionCookie(accepted));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/keys")).StatusCode);
        Assert.Equal(0, (await app.Store.UserAsync(email)).FailedLogins);
    }

    [Fact]
    public async Task A_code_used_once_cannot_log_in_again()
    {
        var (email, secret, _) = await EnrolledAsync();
        var code = CodeAt(secret, app.Clock);
        var first = DashboardClient.For(app);
        await first.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await first.EnterCodeAsync(code)).StatusCode);

        // Someone who saw the code types it within the same 30 seconds.
        var second = DashboardClient.For(app);
        await second.LogInAsync(email, DashboardClient.Password);
        var replay = await second.EnterCodeAsync(code);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.False(SetsSessionCookie(replay));
        Assert.Equal(Wrong, FieldError(await replay.Content.ReadAsStringAsync(), "code"));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, (await second.EnterCodeAsync(CodeAt(secret, app.Clock))).StatusCode);
    }

    [Fact]
    public async Task Of_logins_racing_with_the_same_code_only_one_gets_in()
    {
        var (email, secret, _) = await EnrolledAsync();
        var clients = Enumerable.Range(0, 8).Select(_ => DashboardClient.For(app)).ToArray();
        foreach (var c in clients) await c.LogInAsync(email, DashboardClient.Password);
        var code = CodeAt(secret, app.Clock);
        var tokens = await Task.WhenAll(clients.Select(c => c.TokenFromAsync("/login")));

        var answers = await Task.WhenAll(clients.Select((c, i) => c.PostFormAsync("/login/code", [new("code", code)], tokens[i])));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Redirect && SetsSessionCookie(a)));
        // The rest are replays, refused and counted as wrong codes (enough of them lock the account: 429).
        Assert.Equal(clients.Length - 1, answers.Count(a => a.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests && !SetsSessionCookie(a)));
    }

    [Fact]
    public async Task A_password_change_elsewhere_voids_a_login_waiting_for_its_code()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, _) = await client.EnableTwoFactorAsync(app.Clock);
        var waiting = DashboardClient.For(app);
        await waiting.LogInAsync(email, DashboardClient.Password);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAccountAsync("/account/password",
            ("current_password", DashboardClient.Password), ("new_password", "another long passphrase"))).StatusCode);
        var code = await waiting.EnterCodeAsync(CodeAt(secret, app.Clock));

        Assert.Equal("/login", code.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(code));
    }

    [Fact]
    public async Task Start_again_at_the_code_step_ends_the_waiting_login_even_for_a_copy_of_its_cookie()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        var login = await client.LogInAsync(email, DashboardClient.Password);
        var copy = PendingCookie(login);
        Assert.Contains("action=\"/login/code/cancel\"", await client.Http.GetStringAsync("/login/code"));
        // The copy works as the original does: a wrong code is checked, not sent back to the password.
        var right = CodeAt(secret, app.Clock);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await EnterCodeWithCookieAsync(DashboardClient.For(app), copy, right == "000000" ? "111111" : "000000")).StatusCode);

        var cancel = await client.PostFormAsync("/login/code/cancel", [], await client.TokenFromAsync("/login/code"));

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal("/login", cancel.Headers.Location?.OriginalString);
        Assert.Contains(cancel.Headers.GetValues("Set-Cookie"), c => c.StartsWith("nexus_2fa=;") && c.Contains("path=/login"));
        Assert.Equal("/login", (await client.Http.GetAsync("/login/code")).Headers.Location?.OriginalString);
        var replayed = await EnterCodeWithCookieAsync(DashboardClient.For(app), copy, right);
        Assert.Equal("/login", replayed.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(replayed));

        // The password starts a new login, which the code finishes.
        await client.LogInAsync(email, DashboardClient.Password);
        var code = await client.EnterCodeAsync(CodeAt(secret, app.Clock));
        Assert.Equal("/keys", code.Headers.Location?.OriginalString);
        Assert.True(SetsSessionCookie(code));
    }

    [Fact]
    public async Task Logging_out_elsewhere_ends_a_login_waiting_for_its_code_but_no_other_session()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, _) = await client.EnableTwoFactorAsync(app.Clock);
        var other = DashboardClient.For(app);
        await other.LogInAsync(email, DashboardClient.Password);
        Assert.True(SetsSessionCookie(await other.EnterCodeAsync(CodeAt(secret, app.Clock))));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var waiting = DashboardClient.For(app);
        await waiting.LogInAsync(email, DashboardClient.Password);

        await client.LogOutAsync();
        var code = await waiting.EnterCodeAsync(CodeAt(secret, app.Clock));

        Assert.Equal("/login", code.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(code));
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/keys")).StatusCode);
    }

    [Fact]
    public async Task Start_again_without_the_antiforgery_token_ends_nothing()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);
        var before = (await app.Store.UserAsync(email)).PendingLoginStamp;

        var cancel = await client.PostFormAsync("/login/code/cancel", [], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
        Assert.Equal(before, (await app.Store.UserAsync(email)).PendingLoginStamp);
        Assert.True(SetsSessionCookie(await client.EnterCodeAsync(CodeAt(secret, app.Clock))));
    }

    [Fact]
    public async Task Start_again_with_no_login_waiting_changes_nothing_and_goes_to_the_password()
    {
        var (email, _, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        var before = (await app.Store.UserAsync(email)).PendingLoginStamp;

        var cancel = await client.PostFormAsync("/login/code/cancel", [], await client.TokenFromAsync("/login"));

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal("/login", cancel.Headers.Location?.OriginalString);
        Assert.Equal(before, (await app.Store.UserAsync(email)).PendingLoginStamp);
    }

    /// <summary>The pending login's cookie as a <c>Cookie</c> header value, as someone who copied it would send it.</summary>
    private static string PendingCookie(HttpResponseMessage login) =>
        login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("nexus_2fa=")).Split(';')[0];

    /// <summary>The code step's form posted by <paramref name="client"/> carrying <paramref name="cookie"/>, a pending login it never started.</summary>
    private static async Task<HttpResponseMessage> EnterCodeWithCookieAsync(DashboardClient client, string cookie, string code)
    {
        var token = await client.TokenFromAsync("/login");
        var request = new HttpRequestMessage(HttpMethod.Post, "/login/code")
        {
            Content = new FormUrlEncodedContent([new("code", code), new("__RequestVerificationToken", token)]),
        };
        request.Headers.Add("Cookie", cookie);
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_recovery_code_logs_in_once()
    {
        var (email, _, codes) = await EnrolledAsync();
        Assert.Equal(10, codes.Count);
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);

        // Typed loosely: upper case, a space instead of the dash.
        var used = await client.EnterCodeAsync(codes[3].ToUpperInvariant().Replace('-', ' '));
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.True(SetsSessionCookie(used));
        Assert.Equal(9, (await app.Store.UserAsync(email)).RecoveryCodeHashes.Count);

        var again = DashboardClient.For(app);
        await again.LogInAsync(email, DashboardClient.Password);
        var reused = await again.EnterCodeAsync(codes[3]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await again.EnterCodeAsync(codes[4])).StatusCode);
    }

    [Theory]
    [InlineData("", "Enter the 6-digit code from your authenticator app.")]
    [InlineData("12345", "Enter the 6 digits your authenticator app shows, or a recovery code like abcde-23456.")]
    [InlineData("1234567", "Enter the 6 digits your authenticator app shows, or a recovery code like abcde-23456.")]
    [InlineData("12345a", "Enter the 6 digits your authenticator app shows, or a recovery code like abcde-23456.")]
    [InlineData("'; drop table users; --", "Enter the 6 digits your authenticator app shows, or a recovery code like abcde-23456.")]
    public async Task Input_that_cannot_be_a_code_gets_a_clear_message_and_costs_no_attempt(string code, string message)
    {
        var (email, _, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);

        var response = await client.EnterCodeAsync(code);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(message, FieldError(await response.Content.ReadAsStringAsync(), "code"));
        Assert.Equal(0, (await app.Store.UserAsync(email)).FailedLogins);
    }

    [Fact]
    public async Task A_very_long_code_is_refused_without_an_error()
    {
        var (email, _, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);

        var response = await client.EnterCodeAsync(new string('7', 100_000));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(FieldError(await response.Content.ReadAsStringAsync(), "code"));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_even_for_the_right_code_and_password()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);
        var wrong = CodeAt(secret, app.Clock) == "000000" ? "111111" : "000000";

        for (var i = 1; i < 5; i++)
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.EnterCodeAsync(wrong)).StatusCode);
        var fifth = await client.EnterCodeAsync(wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(TooMany, FieldError(await fifth.Content.ReadAsStringAsync(), "code"));

        var right = await client.EnterCodeAsync(CodeAt(secret, app.Clock));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.False(SetsSessionCookie(right));
        // Retyping the password does not reset the count either.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await DashboardClient.For(app).LogInAsync(email, DashboardClient.Password)).StatusCode);
    }

    [Fact]
    public async Task The_second_step_ends_after_five_minutes()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.LogInAsync(email, DashboardClient.Password);

        app.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var late = await client.EnterCodeAsync(CodeAt(secret, app.Clock));

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal("/login", late.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(late));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/login/code")).StatusCode);
    }

    [Fact]
    public async Task Without_a_password_first_there_is_no_second_step()
    {
        var (_, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);

        Assert.Equal("/login", (await client.Http.GetAsync("/login/code")).Headers.Location?.OriginalString);
        var response = await client.EnterCodeAsync(CodeAt(secret, app.Clock));
        Assert.Equal("/login", response.Headers.Location?.OriginalString);
        Assert.False(SetsSessionCookie(response));
    }

    [Fact]
    public async Task The_return_url_survives_the_second_step()
    {
        var (email, secret, _) = await EnrolledAsync();
        var client = DashboardClient.For(app);
        await client.PostFormAsync("/login",
            [new("email", email), new("password", DashboardClient.Password), new("return_url", "/settings")], await client.TokenFromAsync("/login"));

        var done = await client.EnterCodeAsync(CodeAt(secret, app.Clock));

        Assert.Equal("/settings", done.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_removed_member_with_two_factor_rejoins_from_an_invitation_after_the_code()
    {
        var (owner, _, org) = await app.OwnerAsync("Umbrella");
        var invited = DashboardClient.NewEmail();
        var invitee = DashboardClient.For(app);
        await invitee.SignUpByInvitationAsync(await owner.InviteLinkAsync(invited, "Developer"));
        var (secret, _) = await invitee.EnableTwoFactorAsync(app.Clock);
        await owner.RemoveAsync((await app.Store.MembershipAsync(org.Org.Id, invited))!.Id);
        var link = await owner.InviteLinkAsync(invited, "Viewer");
        var fresh = DashboardClient.For(app);

        var (_, login) = await fresh.LogInAtAsync("/login?ReturnUrl=" + Uri.EscapeDataString(link), invited);
        Assert.Equal("/login/code", login.Headers.Location?.OriginalString);
        Assert.Null(await app.Store.MembershipAsync(org.Org.Id, invited));
        var done = await fresh.EnterCodeAsync(CodeAt(secret, app.Clock));

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/keys", done.Headers.Location?.OriginalString);
        Assert.Equal(Nexus.Shared.Accounts.Role.Viewer, (await app.Store.MembershipAsync(org.Org.Id, invited))!.Role);
        Assert.Contains("<title>Settings · Umbrella · Nexus</title>", await fresh.Http.GetStringAsync("/settings"));
        Assert.Equal(4, (await app.Store.AuditOfAsync(org.Org.Id, AuditActions.MemberJoined)).Count(e => e.TargetLabel == invited));
    }
}
