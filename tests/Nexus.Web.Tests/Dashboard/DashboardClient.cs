using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>
/// A browser-like client for the dashboard: keeps cookies, does not follow redirects (tests
/// assert them), and posts forms with the antiforgery token a page handed out, as a browser would.
/// </summary>
public sealed partial class DashboardClient(HttpClient http)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Http => http;

    public static DashboardClient For<T>(NexusApp<T> app) => For((WebApplicationFactory<Program>)app);

    /// <summary>For a host derived from the fixture (e.g. one with a test clock).</summary>
    public static DashboardClient For(WebApplicationFactory<Program> host) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static string NewEmail() => $"user{Guid.NewGuid():N}@example.test";

    /// <summary>The antiforgery token from a page's forms (login, signup, or any dashboard page's logout form).</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var html = await http.GetStringAsync(path);
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? token) =>
        http.PostAsync(path, new FormUrlEncodedContent(token is null ? fields : fields.Append(new("__RequestVerificationToken", token))));

    /// <summary>A POST the way htmx sends it: form fields, the HX-Request header and the token in a header.</summary>
    public Task<HttpResponseMessage> HtmxPostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", token);
        return http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SignUpAsync(string email, string password = Password, string org = "Acme Inc") =>
        await PostFormAsync("/signup", [new("email", email), new("password", password), new("org_name", org)], await TokenFromAsync("/signup"));

    public async Task<HttpResponseMessage> LogInAsync(string email, string password) =>
        await PostFormAsync("/login", [new("email", email), new("password", password)], await TokenFromAsync("/login"));

    /// <summary>Signs up a fresh account and returns its email; the client is then signed in.</summary>
    public async Task<string> SignUpNewAsync(string org = "Acme Inc")
    {
        var email = NewEmail();
        var response = await SignUpAsync(email, org: org);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return email;
    }

    /// <summary>Creates a secret key with the form's default scopes, as htmx would, and returns the response.</summary>
    public Task<HttpResponseMessage> CreateKeyAsync(string name, string mode = "test") =>
        CreateKeyAsync([new("name", name), new("kind", "secret"), new("mode", mode),
            .. KeyScopes.DefaultFor(KeyKind.Secret).Select(s => new KeyValuePair<string, string>("scopes", s))]);

    /// <summary>Posts the create-key form with exactly these fields (forged values included).</summary>
    public async Task<HttpResponseMessage> CreateKeyAsync(IEnumerable<KeyValuePair<string, string>> fields) =>
        await HtmxPostAsync("/keys", fields, await TokenFromAsync("/keys"));

    /// <summary>An htmx POST with no form, only the token header (roll and revoke buttons).</summary>
    public async Task<HttpResponseMessage> HtmxPostAsync(string path, IEnumerable<KeyValuePair<string, string>>? fields = null) =>
        await HtmxPostAsync(path, fields ?? [], await TokenFromAsync("/keys"));

    /// <summary>A GET as htmx sends it (a fragment, not the page).</summary>
    public Task<HttpResponseMessage> HtmxGetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("HX-Request", "true");
        return http.SendAsync(request);
    }

    /// <summary>The plaintext key in the one response that shows it.</summary>
    public static string ShownKey(string html)
    {
        var match = NewKeyInput().Match(html);
        Assert.True(match.Success, "The response does not show a new key");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex TokenField();

    [GeneratedRegex("""id="new-key-value"[^>]*value="([^"]+)" """)]
    private static partial Regex NewKeyInput();
}
