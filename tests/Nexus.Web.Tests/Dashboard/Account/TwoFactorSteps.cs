using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;
using OtpNet;

namespace Nexus.Web.Tests.Dashboard.Account;

/// <summary>The app with a clock the test moves: TOTP codes, replays and the pending login's five minutes all depend on it.</summary>
public sealed class ClockedApp<TTest> : NexusApp<TTest>
{
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>What a person does on the Account page and at the second login step, as the forms post it.</summary>
public static partial class TwoFactorSteps
{
    /// <summary>The code an authenticator app shows for <paramref name="secret"/> at the clock's time.</summary>
    public static string CodeAt(string secret, TimeProvider clock) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime);

    public static async Task<HttpResponseMessage> PostAccountAsync(this DashboardClient client, string path, params (string Name, string Value)[] fields) =>
        await client.PostFormAsync(path, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), await client.TokenFromAsync("/account"));

    /// <summary>Starts set-up and returns the secret the page shows for typing by hand.</summary>
    public static async Task<string> StartEnrolmentAsync(this DashboardClient client)
    {
        var start = await client.PostAccountAsync("/account/2fa/start");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var html = await client.Http.GetStringAsync(start.Headers.Location!.OriginalString);
        var match = SecretShown().Match(html);
        Assert.True(match.Success, "The page shows no secret");
        return match.Groups[1].Value.Replace(" ", "");
    }

    /// <summary>
    /// Turns two-factor authentication on and returns the secret and the recovery codes shown. The clock
    /// then moves one step on, so the test's next code is not a replay of the one that confirmed it.
    /// </summary>
    public static async Task<(string Secret, IReadOnlyList<string> RecoveryCodes)> EnableTwoFactorAsync(this DashboardClient client, TestClock clock)
    {
        var secret = await client.StartEnrolmentAsync();
        var enable = await client.PostAccountAsync("/account/2fa/enable", ("code", CodeAt(secret, clock)));
        var html = await enable.Content.ReadAsStringAsync();
        Assert.True(enable.StatusCode == HttpStatusCode.OK, html);
        clock.Advance(TimeSpan.FromSeconds(30));
        return (secret, ShownRecoveryCodes(html));
    }

    public static IReadOnlyList<string> ShownRecoveryCodes(string html) =>
        RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Posts the second login step's form.</summary>
    public static async Task<HttpResponseMessage> EnterCodeAsync(this DashboardClient client, string code) =>
        await client.PostFormAsync("/login/code", [new("code", code)], await client.TokenFromAsync("/login"));

    public static async Task LogOutAsync(this DashboardClient client) =>
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/logout", [], await client.TokenFromAsync("/keys"))).StatusCode);

    public static async Task<User> UserAsync(this IDocumentStore store, string email)
    {
        await using var session = store.QuerySession();
        return await session.Query<User>().SingleAsync(u => u.Email == email);
    }

    /// <summary>The message next to a form field (<c>id="…-error"</c>), decoded; null when there is none.</summary>
    public static string? FieldError(string html, string id)
    {
        var match = Regex.Match(html, $"""id="{id}-error"[^>]*>([^<]*)<""");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static bool SetsSessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("nexus_session=") && !c.StartsWith("nexus_session=;"));

    [GeneratedRegex("""id="totp-secret"[^>]*>([A-Z2-7 ]+)<""")]
    private static partial Regex SecretShown();

    [GeneratedRegex("""<li data-recovery-code>([a-z2-9]{5}-[a-z2-9]{5})</li>""")]
    private static partial Regex RecoveryCode();
}
