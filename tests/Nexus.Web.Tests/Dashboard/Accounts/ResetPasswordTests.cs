using System.Net;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard.Account;
using Nexus.Web.Tests.Infrastructure.Admin;
using Nexus.Web.Tests.Support;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Accounts;

public sealed class ResetPasswordTests(ClockedApp<ResetPasswordTests> app) : IClassFixture<ClockedApp<ResetPasswordTests>>
{
    private const string NewPassword = "a brand new long passphrase";
    private const string NotValid = "This password reset link is not valid";

    [Fact]
    public async Task The_link_sets_a_new_password_ends_every_session_clears_the_lockout_and_works_once()
    {
        var laptop = DashboardClient.For(app);
        var email = await laptop.SignUpNewAsync();
        var phone = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.LogInAsync(email, DashboardClient.Password)).StatusCode);
        await LockOutAsync(email);
        var before = await app.Store.UserAsync(email);
        var link = (await ResetCommand.RunAsync(app, app.Clock, email)).Path;
        var visitor = DashboardClient.For(app);

        var page = await visitor.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Set a new password", html);
        Assert.Contains(email, html);
        var reset = await SetAsync(visitor, link, NewPassword, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/login?reset=done", reset.Headers.Location!.OriginalString);
        Assert.Contains("Your password was reset. Log in with the new one.", await visitor.Http.GetStringAsync("/login?reset=done"));
        // Every session of the user is over, on every device.
        foreach (var device in new[] { laptop, phone })
        {
            var response = await device.Http.GetAsync("/keys");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }
        await using (var session = app.Store.QuerySession())
            Assert.All(await session.Query<UserSession>().Where(s => s.UserId == before.Id).ToListAsync(), s => Assert.NotNull(s.EndedAt));
        var after = await app.Store.UserAsync(email);
        Assert.NotEqual(before.SecurityStamp, after.SecurityStamp);
        Assert.Equal((0, null), (after.FailedLogins, after.LockedUntil));
        // The old password no longer works; the new one does (and the lockout no longer holds it back).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await DashboardClient.For(app).LogInAsync(email, DashboardClient.Password)).StatusCode);
        var login = await DashboardClient.For(app).LogInAsync(email, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.False(login.Headers.Location!.OriginalString.StartsWith("/login", StringComparison.Ordinal));
        // Once: used, the link is the "not valid" page, to look at and to post to.
        await AssertNotValidAsync(await visitor.Http.GetAsync(link));
        await AssertNotValidAsync(await SetAsync(DashboardClient.For(app), link, "yet another long passphrase", "yet another long passphrase"));
        Assert.Equal(after.PasswordHash, (await app.Store.UserAsync(email)).PasswordHash);
    }

    [Fact]
    public async Task An_expired_replaced_mangled_or_unknown_link_shows_the_same_not_valid_page()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var visitor = DashboardClient.For(app);
        var replaced = (await ResetCommand.RunAsync(app, app.Clock, email)).Path;
        var link = (await ResetCommand.RunAsync(app, app.Clock, email)).Path;

        await AssertNotValidAsync(await visitor.Http.GetAsync(replaced));
        var token = link["/reset-password/".Length..];
        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        foreach (var wrong in new[] { flipped, token[..^1], token + "A", "nxinv_" + token[6..], "nxpwr_", "anything" })
            await AssertNotValidAsync(await visitor.Http.GetAsync("/reset-password/" + wrong));

        app.Clock.Advance(PasswordReset.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync(link)).StatusCode);
        var token2 = await visitor.TokenFromAsync(link);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await AssertNotValidAsync(await visitor.Http.GetAsync(link));
        await AssertNotValidAsync(await visitor.PostFormAsync(link, [new("new_password", NewPassword), new("confirm_password", NewPassword)], token2));
        await AssertNotValidAsync(await SetAsync(visitor, replaced, NewPassword, NewPassword));
        var user = await app.Store.UserAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardClient.For(app).LogInAsync(email, DashboardClient.Password)).StatusCode);
        Assert.Empty(await AuditAsync(email));
        Assert.NotNull(user);
    }

    [Fact]
    public async Task Bad_form_input_shows_the_form_again_with_the_error_and_changes_nothing()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var before = await app.Store.UserAsync(email);
        var link = (await ResetCommand.RunAsync(app, app.Clock, email)).Path;
        var visitor = DashboardClient.For(app);

        foreach (var (password, confirm, field, message) in new[]
        {
            ("", "", "new-password", "Choose a password."),
            ("short", "short", "new-password", "Use at least 10 characters."),
            ("password123", "password123", "new-password", "This password is too easy to guess. Try a few unrelated words."),
            (NewPassword, NewPassword + "!", "confirm-password", "The two passwords do not match."),
            (NewPassword, "", "confirm-password", "The two passwords do not match."),
        })
        {
            var refused = await SetAsync(visitor, link, password, confirm);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(message, field == "new-password"
                ? System.Text.RegularExpressions.Regex.Match(html, """id="new-password-help" class="field-error">([^<]*)<""").Groups[1].Value.Replace("&#x27;", "'")
                : FieldError(html, field));
            Assert.DoesNotContain(NewPassword, html);
        }
        // Without the antiforgery token: refused before anything is looked at.
        Assert.Equal(HttpStatusCode.BadRequest,
            (await visitor.PostFormAsync(link, [new("new_password", NewPassword), new("confirm_password", NewPassword)], null)).StatusCode);

        var after = await app.Store.UserAsync(email);
        Assert.Equal((before.PasswordHash, before.SecurityStamp), (after.PasswordHash, after.SecurityStamp));
        Assert.Empty(await AuditAsync(email));
        // The link still works.
        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(visitor, link, NewPassword, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task With_disable_two_factor_the_link_turns_it_off_and_the_audit_says_so_without_the_token()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        await client.EnableTwoFactorAsync(app.Clock);
        var command = await ResetCommand.RunAsync(app, app.Clock, email, "--disable-two-factor");
        Assert.Contains("also turns off their two-factor authentication", command.Out);
        Assert.True((await app.Store.UserAsync(email)).TwoFactorEnabled); // not before the link is used

        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(DashboardClient.For(app), command.Path, NewPassword, NewPassword)).StatusCode);

        var user = await app.Store.UserAsync(email);
        Assert.False(user.TwoFactorEnabled);
        Assert.Null(user.TwoFactorEnabledAt);
        Assert.Empty(user.RecoveryCodeHashes);
        // No second step at login any more.
        var login = await DashboardClient.For(app).LogInAsync(email, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain("/login/code", login.Headers.Location!.OriginalString);
        var audit = await AuditAsync(email);
        Assert.Equal(2, audit.Count); // one per mode
        Assert.All(audit, e =>
        {
            Assert.Equal((AuditActor.SystemType, "command-line", "operator (command line)"), (e.ActorType, e.ActorId, e.ActorLabel));
            Assert.Equal((user.Id, email), (e.TargetId, e.TargetLabel));
            Assert.Equal(new AuditChange("two_factor", "on", "off"), Assert.Single(e.Changes));
        });
        await using var session = app.Store.QuerySession();
        foreach (var entry in audit)
        {
            var json = (await session.Json.FindByIdAsync<AuditEntry>(entry.Id))!;
            Assert.DoesNotContain(command.Token[6..], json);
            Assert.DoesNotContain(LinkTokens.Hash(command.Token), json);
        }
    }

    [Fact]
    public async Task Without_disable_two_factor_the_second_step_stays_and_the_audit_has_no_change()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        await client.EnableTwoFactorAsync(app.Clock);
        var command = await ResetCommand.RunAsync(app, app.Clock, email);

        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(DashboardClient.For(app), command.Path, NewPassword, NewPassword)).StatusCode);

        var user = await app.Store.UserAsync(email);
        Assert.True(user.TwoFactorEnabled);
        Assert.Equal(10, user.RecoveryCodeHashes.Count);
        var login = await DashboardClient.For(app).LogInAsync(email, NewPassword);
        Assert.Equal("/login/code", login.Headers.Location!.OriginalString);
        Assert.All(await AuditAsync(email), e => Assert.Empty(e.Changes));
    }

    [Fact]
    public async Task Two_posts_of_the_same_link_at_once_set_one_password()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var link = (await ResetCommand.RunAsync(app, app.Clock, email)).Path;
        var (first, second) = (DashboardClient.For(app), DashboardClient.For(app));
        var (firstToken, secondToken) = (await first.TokenFromAsync(link), await second.TokenFromAsync(link));

        var answers = await Task.WhenAll(
            first.PostFormAsync(link, [new("new_password", NewPassword), new("confirm_password", NewPassword)], firstToken),
            second.PostFormAsync(link, [new("new_password", "another long passphrase"), new("confirm_password", "another long passphrase")], secondToken));

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.NotFound], answers.Select(a => a.StatusCode).Order());
        var winner = answers[0].StatusCode == HttpStatusCode.Redirect ? NewPassword : "another long passphrase";
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardClient.For(app).LogInAsync(email, winner)).StatusCode);
        Assert.Equal(2, (await AuditAsync(email)).Count); // one reset, one entry per mode
    }

    [Fact]
    public async Task No_log_entry_holds_the_token_even_with_the_frameworks_logging_raised()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = app.WithWebHostBuilder(logs.AttachWithFrameworkAtInformation);
        var email = await DashboardClient.For(host).SignUpNewAsync();
        var command = await ResetCommand.RunAsync(app, app.Clock, email, "--disable-two-factor");
        var visitor = DashboardClient.For(host);

        await visitor.Http.GetAsync(command.Path);
        await SetAsync(visitor, command.Path, "short", "short");
        await SetAsync(visitor, command.Path, NewPassword, NewPassword);
        await visitor.Http.GetAsync(command.Path); // used: the not valid page
        await visitor.PostFormAsync(command.Path, [], null); // no antiforgery token

        Assert.True(logs.HasFrameworkInformation);
        Assert.DoesNotContain(logs.Entries, e => e.Contains(command.Token[6..], StringComparison.Ordinal));
        Assert.Equal(2, (await AuditAsync(email)).Count);
    }

    private static async Task<HttpResponseMessage> SetAsync(DashboardClient client, string link, string password, string confirm)
    {
        var page = await client.Http.GetAsync(link);
        var token = page.StatusCode == HttpStatusCode.OK ? await client.TokenFromAsync(link) : await client.TokenFromAsync("/login");
        return await client.PostFormAsync(link, [new("new_password", password), new("confirm_password", confirm)], token);
    }

    private static async Task AssertNotValidAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(NotValid, html);
        Assert.DoesNotContain("@", html); // names no account
    }

    private async Task LockOutAsync(string email)
    {
        var user = await app.Store.UserAsync(email);
        (user.FailedLogins, user.LockedUntil) = (5, app.Clock.GetUtcNow().AddMinutes(15));
        await using var session = app.Store.LightweightSession();
        session.Store(user);
        await session.SaveChangesAsync();
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string email)
    {
        var org = await app.Store.OrgOfAsync(app.Services, email);
        return await app.Store.AuditOfAsync(org.Org.Id, AuditActions.PasswordReset);
    }
}
