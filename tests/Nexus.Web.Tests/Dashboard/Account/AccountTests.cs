using System.Net;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard.Team;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Account;

public sealed class AccountTests(ClockedApp<AccountTests> app) : IClassFixture<ClockedApp<AccountTests>>
{
    private const string NewPassword = "a different long passphrase";

    [Fact]
    public async Task The_account_menu_leads_to_the_page_with_the_email()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();

        Assert.Contains("href=\"/account\"", await client.Http.GetStringAsync("/keys"));
        var page = await client.Http.GetStringAsync("/account");
        Assert.Contains($"id=\"account-email\">{email}<", page);
        Assert.Contains("Set up two-factor authentication", page);
    }

    [Fact]
    public async Task The_account_page_shows_no_mode_strip_badge_or_switch_while_other_pages_still_do()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var keys = await client.Http.GetStringAsync("/keys?mode=test");
        Assert.Contains("id=\"test-mode-banner\"", keys);
        Assert.Contains("class=\"mode-switch\"", keys);
        Assert.Contains("badge-test", keys);
        foreach (var mode in new[] { "test", "live" })
        {
            var account = await client.Http.GetStringAsync($"/account?mode={mode}");
            Assert.Contains("id=\"account-email\"", account);
            Assert.DoesNotContain("test-mode-banner", account);
            Assert.DoesNotContain("mode-switch", account);
            Assert.DoesNotContain("badge-test", account);
            Assert.DoesNotContain("badge-live", account);
        }
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_counts_as_a_failed_login()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var before = (await app.Store.UserAsync(email)).PasswordHash;

        var response = await client.PostAccountAsync("/account/password", ("current_password", "not my password"), ("new_password", NewPassword));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("That is not your current password.", FieldError(await response.Content.ReadAsStringAsync(), "current-password"));
        var user = await app.Store.UserAsync(email);
        Assert.Equal(before, user.PasswordHash);
        Assert.Equal(1, user.FailedLogins);
        Assert.Empty(await AuditAsync(email, AuditActions.PasswordChanged));
    }

    [Theory]
    [InlineData("", "Choose a password.")]
    [InlineData("short", "Use at least 10 characters.")]
    [InlineData("password123", "This password is too easy to guess. Try a few unrelated words.")]
    public async Task The_new_password_follows_the_signup_rules(string newPassword, string message)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var response = await client.PostAccountAsync("/account/password", ("current_password", DashboardClient.Password), ("new_password", newPassword));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(message, FieldError(await response.Content.ReadAsStringAsync(), "new-password"));
    }

    [Fact]
    public async Task Changing_the_password_signs_out_other_sessions_and_keeps_this_one()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var other = DashboardClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await other.LogInAsync(email, DashboardClient.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/keys")).StatusCode);

        var change = await client.PostAccountAsync("/account/password", ("current_password", DashboardClient.Password), ("new_password", NewPassword));

        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.Equal("/account?done=password", change.Headers.Location?.OriginalString);
        Assert.True(SetsSessionCookie(change));
        Assert.Contains("Password changed.", await client.Http.GetStringAsync("/account?done=password"));
        var otherKeys = await other.Http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.Redirect, otherKeys.StatusCode);
        Assert.StartsWith("/login", otherKeys.Headers.Location?.PathAndQuery ?? otherKeys.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await DashboardClient.For(app).LogInAsync(email, DashboardClient.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardClient.For(app).LogInAsync(email, NewPassword)).StatusCode);
        Assert.Equal(2, (await AuditAsync(email, AuditActions.PasswordChanged)).Count); // one per mode
    }

    [Fact]
    public async Task Enabling_needs_a_right_code_and_keeps_the_secret_encrypted()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var secret = await client.StartEnrolmentAsync();
        // The QR code is drawn here, as a data: URI image (the CSP allows no other source).
        var page = WebUtility.HtmlDecode(await client.Http.GetStringAsync("/account?setup=1"));
        Assert.Contains("id=\"totp-qr\"", page);
        Assert.Contains("src=\"data:image/svg+xml;base64,", page);

        foreach (var (code, message) in new[]
        {
            ("", "Enter the 6-digit code from your authenticator app."),
            ("12ab56", "Enter the 6 digits your authenticator app shows."),
            ("1234567", "Enter the 6 digits your authenticator app shows."),
            (CodeAt(secret, app.Clock) == "000000" ? "111111" : "000000", "That code is not right. Check your authenticator app and try again."),
        })
        {
            var refused = await client.PostAccountAsync("/account/2fa/enable", ("code", code));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(message, FieldError(html, "enable-code"));
            Assert.Contains(string.Join(' ', secret.Chunk(4).Select(c => new string(c))), html); // the same secret, to try again
        }
        Assert.False((await app.Store.UserAsync(email)).TwoFactorEnabled);

        var enabled = await client.PostAccountAsync("/account/2fa/enable", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.True(enabled.Headers.CacheControl?.NoStore == true);
        var codes = ShownRecoveryCodes(await enabled.Content.ReadAsStringAsync());
        Assert.Equal(10, codes.Count);
        var user = await app.Store.UserAsync(email);
        Assert.True(user.TwoFactorEnabled);
        Assert.Null(user.PendingTotpSecret);
        Assert.StartsWith("v2.", user.TotpSecret);
        await using var session = app.Store.QuerySession();
        var stored = await session.Json.FindByIdAsync<Nexus.Shared.Accounts.User>(user.Id);
        Assert.DoesNotContain(secret, stored);
        Assert.All(codes, c => Assert.DoesNotContain(c, stored));
        Assert.Equal(2, (await AuditAsync(email, AuditActions.TwoFactorEnabled)).Count);
        Assert.Contains("id=\"two-factor-status\">On<", await client.Http.GetStringAsync("/account"));
        Assert.DoesNotContain("data-recovery-code", await client.Http.GetStringAsync("/account"));
    }

    [Fact]
    public async Task Turning_off_needs_a_current_code()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, _) = await client.EnableTwoFactorAsync(app.Clock);

        foreach (var bad in new[] { "", "abc", new string('9', 5000), CodeAt(secret, app.Clock) == "000000" ? "111111" : "000000" })
        {
            var refused = await client.PostAccountAsync("/account/2fa/disable", ("code", bad));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.NotNull(FieldError(await refused.Content.ReadAsStringAsync(), "disable-code"));
        }
        Assert.True((await app.Store.UserAsync(email)).TwoFactorEnabled);

        var off = await client.PostAccountAsync("/account/2fa/disable", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        var user = await app.Store.UserAsync(email);
        Assert.False(user.TwoFactorEnabled);
        Assert.Empty(user.RecoveryCodeHashes);
        Assert.Equal(2, (await AuditAsync(email, AuditActions.TwoFactorDisabled)).Count);
        await client.LogOutAsync();
        var login = await DashboardClient.For(app).LogInAsync(email, DashboardClient.Password);
        Assert.Equal("/keys", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, old) = await client.EnableTwoFactorAsync(app.Clock);

        var made = await client.PostAccountAsync("/account/2fa/recovery-codes", ("code", CodeAt(secret, app.Clock)));

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var codes = ShownRecoveryCodes(await made.Content.ReadAsStringAsync());
        Assert.Equal(10, codes.Count);
        Assert.Empty(codes.Intersect(old));
        Assert.Equal(2, (await AuditAsync(email, AuditActions.RecoveryCodesRegenerated)).Count);
        await client.LogOutAsync();
        var login = DashboardClient.For(app);
        await login.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await login.EnterCodeAsync(old[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await login.EnterCodeAsync(codes[0])).StatusCode);
    }

    [Fact]
    public async Task The_members_list_marks_who_has_two_factor_on()
    {
        var (owner, ownerEmail, _) = await app.OwnerAsync("Badges");
        var member = DashboardClient.For(app);
        var memberEmail = DashboardClient.NewEmail();
        await member.SignUpByInvitationAsync(await owner.InviteLinkAsync(memberEmail));

        await member.EnableTwoFactorAsync(app.Clock);
        var list = await owner.Http.GetStringAsync("/settings/members");

        Assert.Matches($"""data-member="{System.Text.RegularExpressions.Regex.Escape(memberEmail)}"(?:(?!</li>).)*data-two-factor""",
            list.ReplaceLineEndings(" "));
        Assert.DoesNotMatch($"""data-member="{System.Text.RegularExpressions.Regex.Escape(ownerEmail)}"(?:(?!</li>).)*data-two-factor""",
            list.ReplaceLineEndings(" "));
    }

    [Fact]
    public async Task The_audit_log_filter_offers_the_account_actions()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        await client.EnableTwoFactorAsync(app.Clock);

        var filtered = await client.Http.GetStringAsync("/audit?action=user.two_factor_enabled");

        Assert.Contains("value=\"user.two_factor_enabled\"", filtered);
        Assert.Contains("data-action=\"user.two_factor_enabled\"", filtered);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string email, string action)
    {
        var org = await app.Store.OrgOfAsync(app.Services, email);
        return await app.Store.AuditOfAsync(org.Org.Id, action);
    }
}
