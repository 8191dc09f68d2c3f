using System.Net;
using System.Text.RegularExpressions;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Team;

/// <summary>What a person does on Settings → Members and on an invitation page, as the dashboard's forms post it.</summary>
public static partial class TeamSteps
{
    public static async Task<HttpResponseMessage> InviteAsync(this DashboardClient client, string email, string role) =>
        await client.HtmxPostAsync("/settings/invitations", [new("email", email), new("role", role)], await client.TokenFromAsync("/settings"));

    /// <summary>Invites and returns the link's path (<c>/invitations/nxinv_…</c>) from the one response that shows it.</summary>
    public static async Task<string> InviteLinkAsync(this DashboardClient client, string email, string role = "Developer")
    {
        var response = await client.InviteAsync(email, role);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        return new Uri(ShownLink(html)).PathAndQuery;
    }

    public static string ShownLink(string html)
    {
        var match = LinkInput().Match(html);
        Assert.True(match.Success, "The response shows no invitation link");
        return match.Groups[1].Value;
    }

    public static string TokenOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Signs up on the invitation page (the email is the invitation's).</summary>
    public static async Task<HttpResponseMessage> SignUpByInvitationAsync(this DashboardClient client, string path, string password = DashboardClient.Password) =>
        await client.PostFormAsync("/invitations/signup", [new("token", TokenOf(path)), new("password", password)], await client.TokenFromAsync("/login"));

    /// <summary>"Join" on the invitation page, signed in.</summary>
    public static async Task<HttpResponseMessage> AcceptAsync(this DashboardClient client, string path) =>
        await client.PostFormAsync(path, [], await client.TokenFromAsync("/settings"));

    /// <summary>
    /// Logs in on the login page <paramref name="loginUrl"/> leads to (a "Log in" link, or where a request without a session was
    /// sent), posting its form as a browser would, with the return URL the page carries. Returns the page and the login's answer.
    /// </summary>
    public static async Task<(HttpResponseMessage Page, HttpResponseMessage Login)> LogInAtAsync(this DashboardClient client, string loginUrl, string email)
    {
        var page = await client.Http.GetAsync(loginUrl);
        var html = await page.Content.ReadAsStringAsync();
        var returnUrl = ReturnUrlField().Match(html);
        Assert.True(returnUrl.Success, "The login page carries no return URL");
        var login = await client.PostFormAsync("/login",
            [new("email", email), new("password", DashboardClient.Password), new("return_url", WebUtility.HtmlDecode(returnUrl.Groups[1].Value))],
            await client.TokenFromAsync(loginUrl));
        return (page, login);
    }

    public static async Task<HttpResponseMessage> ChangeRoleAsync(this DashboardClient client, string membershipId, string role) =>
        await client.HtmxPostAsync($"/settings/members/{membershipId}/role", [new("role", role)], await client.TokenFromAsync("/settings"));

    public static async Task<HttpResponseMessage> RemoveAsync(this DashboardClient client, string membershipId) =>
        await client.HtmxPostAsync($"/settings/members/{membershipId}/remove", [], await client.TokenFromAsync("/settings"));

    public static async Task<HttpResponseMessage> LeaveAsync(this DashboardClient client) =>
        await client.HtmxPostAsync("/settings/leave", [], await client.TokenFromAsync("/settings"));

    /// <summary>A fresh client signed up as the owner of a new org.</summary>
    public static async Task<(DashboardClient Client, string Email, TestOrg Org)> OwnerAsync<T>(this NexusApp<T> app, string orgName = "Acme Inc")
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync(orgName);
        return (client, email, await app.Store.OrgOfAsync(app.Services, email));
    }

    /// <summary>The membership of <paramref name="email"/> in <paramref name="orgId"/>, or null.</summary>
    public static async Task<Membership?> MembershipAsync(this IDocumentStore store, string orgId, string email)
    {
        await using var session = store.QuerySession();
        var user = await session.Query<User>().SingleOrDefaultAsync(u => u.Email == email);
        return user is null ? null : await session.Query<Membership>().SingleOrDefaultAsync(m => m.OrgId == orgId && m.UserId == user.Id);
    }

    public static async Task<IReadOnlyList<Membership>> MembershipsOfAsync(this IDocumentStore store, string email)
    {
        await using var session = store.QuerySession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        return await session.Query<Membership>().Where(m => m.UserId == user.Id).ToListAsync();
    }

    /// <summary>The text of the panel's refusal, or null.</summary>
    public static string? Problem(string html) => ProblemAlert().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("""name="return_url" value="([^"]*)" """)]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("""id="invitation-link"[^>]*value="([^"]+)" """)]
    private static partial Regex LinkInput();

    [GeneratedRegex("""id="members-problem">.*?<p>(.*?)</p>""", RegexOptions.Singleline)]
    private static partial Regex ProblemAlert();
}
