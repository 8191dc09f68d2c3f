using System.Net;
using System.Text.Json;
using Nexus.Shared.Common;

namespace Nexus.Web.Tests.Support;

/// <summary>What every API response must look like, checked the way a client would see it.</summary>
public static class ApiAssert
{
    private static readonly string[] ErrorFields = ["code", "doc_url", "message", "param", "request_id", "request_log_url", "type"];

    /// <summary>The request id header every response carries; returns it.</summary>
    public static string RequestId(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("X-Request-Id", out var values), "X-Request-Id header missing");
        var id = Assert.Single(values);
        Assert.True(Ids.IsWellFormed(id, "req"), $"X-Request-Id '{id}' is not a req_ id");
        return id;
    }

    /// <summary>
    /// The response is the one error shape with this status, code and param (null means the
    /// error must name no param), its request id matches the header, and nothing leaks.
    /// </summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var requestId = RequestId(response);
        NoStackTrace(text);

        using var doc = JsonDocument.Parse(text);
        Assert.Equal(["error"], Names(doc.RootElement));
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(ErrorFields, Names(error).Order());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(Nexus.Web.Infrastructure.Errors.ErrorCatalog.Find(code)?.Type ?? TypeFor(status), error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(requestId, error.GetProperty("request_id").GetString());
        Assert.EndsWith($"/docs/errors/{code}", error.GetProperty("doc_url").GetString());
        if (error.GetProperty("request_log_url").GetString() is { } logUrl) Assert.EndsWith($"/logs/{requestId}", logUrl);
        if (param is null) Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        else Assert.Equal(param, error.GetProperty("param").GetString());
        return error;
    }

    /// <summary>A successful JSON response with this status; returns the parsed body.</summary>
    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        RequestId(response);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The object's property names, in order of appearance.</summary>
    public static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    public static void NoStackTrace(string text)
    {
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain(".cs:line", text);
        Assert.DoesNotContain("Nexus.Web.", text);
        Assert.DoesNotContain("System.", text);
    }

    private static string TypeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "authentication_error",
        HttpStatusCode.Forbidden => "permission_error",
        HttpStatusCode.TooManyRequests => "rate_limit_error",
        >= HttpStatusCode.InternalServerError => "api_error",
        _ => "invalid_request_error",
    };
}
