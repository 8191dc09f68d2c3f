using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api;

/// <summary>
/// Query values that cannot be read as their parameter's type (a word for a number, a date that
/// is not one) answer in the API's words, naming the parameter and what it must be.
/// </summary>
public sealed class QueryErrorsTests(NexusApp<QueryErrorsTests> app) : IClassFixture<NexusApp<QueryErrorsTests>>
{
    private const string LimitMessage = "limit must be a whole number between 1 and 100.";

    public static TheoryData<string, string, string, string> UnreadableValues()
    {
        string[] paged =
        [
            "/api/v1/notes", "/api/v2/notes", "/api/v1/customers", "/api/v1/events", "/api/v1/webhook-deliveries",
            "/api/v1/audit-log", "/api/v1/request-logs", "/api/v1/keys", "/api/v1/webhook-endpoints",
        ];
        var data = new TheoryData<string, string, string, string>();
        foreach (var path in paged)
            foreach (var value in new[] { "abc", "1.5", "99999999999" })
                data.Add(path, $"limit={value}", "limit", LimitMessage);
        data.Add("/api/v1/notes", "offset=x", "offset", "offset must be a whole number from 0 to 2,147,483,647.");
        data.Add("/api/v1/notes", "offset=99999999999", "offset", "offset must be a whole number from 0 to 2,147,483,647.");
        foreach (var time in new[] { "created_gte", "created_lt" })
        {
            data.Add("/api/v1/request-logs", $"{time}=notadate", time, $"{time} must be an ISO 8601 time, like 2026-11-22T10:00:00Z.");
            data.Add("/api/v1/audit-log", $"{time}=notadate", time, $"{time} must be an ISO 8601 time, like 2026-11-22T10:00:00Z.");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UnreadableValues))]
    public async Task A_value_of_the_wrong_type_is_400_naming_the_parameter_and_what_it_must_be(string path, string query, string param, string message)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]);

        var response = await client.GetAsync($"{path}?{query}");

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", param);
        Assert.Equal(message, error.GetProperty("message").GetString());
    }
}
