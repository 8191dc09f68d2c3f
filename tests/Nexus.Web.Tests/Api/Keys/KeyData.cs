using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

/// <summary>Keys and audit entries as stored, for the key-management tests.</summary>
public static class KeyData
{
    /// <summary>A client calling with a fresh <c>admin:all</c> key of <paramref name="mode"/>; returns the key too.</summary>
    public static async Task<(HttpClient Client, ApiKey Key, string Secret)> AdminAsync(this TestOrg org, HttpClient client, Mode mode = Mode.Test)
    {
        var (secret, key) = await org.CreateKeyAsync(mode, name: "admin", scopes: [KeyScopes.AdminAll]);
        return (client.WithKey(secret), key, secret);
    }

    public static async Task<List<ApiKey>> KeysAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<ApiKey>().Where(k => k.OrgId == org.Org.Id).ToListAsync()).OrderBy(k => k.Id, StringComparer.Ordinal).ToList();
    }

    public static async Task<ApiKey?> LoadKeyAsync(this TestOrg org, string id)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ApiKey>(id);
    }

    public static async Task<List<AuditEntry>> AuditAsync(this TestOrg org)
    {
        await using var session = org.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<AuditEntry>().Where(e => e.OrgId == org.Org.Id).ToListAsync()).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every key and audit entry of the org, as JSON: equal before and after means nothing changed.</summary>
    public static async Task<string> SnapshotAsync(this TestOrg org)
    {
        var keys = await org.KeysAsync();
        var audit = await org.AuditAsync();
        // Last use and the request count are written in the background by every authenticated
        // request; they are not a change a request made.
        foreach (var k in keys) (k.LastUsedAt, k.TotalRequests) = (null, 0);
        return JsonSerializer.Serialize(new { keys, audit });
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, NoteData.Json(json));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static List<string> Ids(JsonElement page) =>
        page.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
}
