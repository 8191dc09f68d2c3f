using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Web.Dashboard;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Tests.Dashboard;
using Nexus.Web.Tests.Support;
using Npgsql;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// PostgreSQL cannot store U+0000; before it was refused at the edge, such a value failed in the
/// database: a 503 from the API, a 500 from the dashboard.
/// </summary>
public sealed class NulCharacterTests(NexusApp<NulCharacterTests> app) : IClassFixture<NexusApp<NulCharacterTests>>
{
    public static TheoryData<string, string> StringFieldRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in ApiRoutes.BodyRoutes)
            if (ApiRoutes.SampleField(method, path).Value.StartsWith('"')) data.Add(method, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(StringFieldRoutes))]
    public async Task A_nul_in_a_body_field_is_parameter_invalid_naming_it_and_changes_nothing(string method, string path)
    {
        var (org, note, client) = await SetupAsync();
        var (field, value, _) = ApiRoutes.SampleField(method, path);
        var withNul = value.Insert(value.Length - 1, "\\u0000");

        var response = await client.SendAsync(ApiRoutes.Request(method, path, note.Id, NoteData.Json($$"""{"{{field}}":{{withNul}}}""")));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", field);
        await org.AssertUnchangedAsync(note);
    }

    [Theory]
    [InlineData("""{"name":"Ada","metadata":{"plan":"pro\u0000"}}""", "metadata.plan")]
    [InlineData("""{"name":"Ada","metadata":{"pl\u0000an":"pro"}}""", "metadata")]
    [InlineData("""{"name":"Ada\u0000"}""", "name")]
    public async Task A_nul_in_a_customer_is_refused_with_its_path_in_the_message(string body, string param)
    {
        var (org, note, client) = await SetupAsync();

        var response = await client.SendAsync(ApiRoutes.Request("POST", "/api/v1/customers", note.Id, NoteData.Json(body)));

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Equal($"{param} must not contain the character U+0000 (NUL).", error.GetProperty("message").GetString());
        await org.AssertUnchangedAsync(note);
    }

    public static TheoryData<string> GetRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var (method, path) in ApiRoutes.All.Where(r => r.Method == "GET")) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(GetRoutes))]
    public async Task A_nul_in_a_query_parameter_is_parameter_invalid_naming_it(string path)
    {
        var (_, note, client) = await SetupAsync();
        var request = ApiRoutes.Request("GET", path, note.Id);
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + "?limit=1%00", UriKind.RelativeOrAbsolute);

        var response = await client.SendAsync(request);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "limit");
        Assert.Equal("limit must not contain the character U+0000 (NUL).", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/v1/request-logs?path=/%00", "path")]
    [InlineData("/api/v1/customers?email=%00", "email")]
    [InlineData("/api/v1/audit-log?act%00or=x", "act\\u0000or")]
    public async Task Filters_that_reached_the_database_are_refused_before_it(string url, string param)
    {
        var (_, _, client) = await SetupAsync();

        var response = await client.GetAsync(url);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
    }

    [Fact]
    public async Task A_dashboard_link_with_a_nul_gets_the_bad_request_page()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/logs?path=/%00");
        request.Headers.Add("Accept", "text/html");

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This address cannot be read", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/audit?actor=%00")]
    [InlineData("/logs?path=%00")]
    [InlineData("/webhooks?event_type=%00")]
    public async Task Dashboard_filters_with_a_nul_are_400_not_500(string url)
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.HtmxGetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task A_dashboard_form_with_a_nul_is_400_and_stores_nothing()
    {
        var client = DashboardClient.For(app);
        await client.SignUpNewAsync();

        var response = await client.CreateKeyAsync("Back\0end");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(NulCharacterGuard.FormRefused, Assert.Single(response.Headers.GetValues(NulCharacterGuard.MessageHeader)));
        Assert.DoesNotContain("Back", await client.Http.GetStringAsync("/keys"));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UntranslatableCharacter)]
    [InlineData(PostgresErrorCodes.CharacterNotInRepertoire)]
    public async Task A_character_the_database_refuses_is_a_400_not_a_503(string sqlState)
    {
        // Whatever gets past the edge: the database's refusal is the request's fault.
        var middleware = new ApiErrorMiddleware(_ => throw new Marten.Exceptions.MartenCommandException(null!,
            new PostgresException("unsupported Unicode escape sequence", "ERROR", "ERROR", sqlState)), NullLogger<ApiErrorMiddleware>.Instance);
        var ctx = new DefaultHttpContext();
        ctx.Request.Path = "/api/v1/notes";
        ctx.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(ctx);

        Assert.Equal(StatusCodes.Status400BadRequest, ctx.Response.StatusCode);
        ctx.Response.Body.Position = 0;
        Assert.Contains("\"code\":\"parameter_invalid\"", await new StreamReader(ctx.Response.Body).ReadToEndAsync());
    }

    private async Task<(TestOrg Org, Note Note, HttpClient Client)> SetupAsync()
    {
        var org = await app.CreateOrgAsync();
        var note = await org.StoreNoteAsync(Mode.Test, "Original", "Original body");
        var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]);
        return (org, note, client);
    }
}
