using System.Net;
using Marten;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.RequestLogs;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.WebhookEndpoints;

/// <summary>
/// Webhook secrets go out in three responses (create, rotate, reveal). With debug capture on, so
/// that request logs keep bodies, every row of every table is then searched for them: the
/// database holds them only encrypted, the captured bodies only redacted.
/// </summary>
public sealed class SecretCanaryTests(NexusApp<SecretCanaryTests> app) : IClassFixture<NexusApp<SecretCanaryTests>>
{
    [Fact]
    public async Task Webhook_secrets_shown_by_the_api_are_nowhere_in_the_database()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        await using (var session = app.Store.LightweightSession())
        {
            org.Org.DebugCaptureUntil = DateTimeOffset.UtcNow.AddHours(1);
            session.Store(org.Org);
            await session.SaveChangesAsync();
        }
        using var client = await org.ClientWithKeyAsync(app.CreateClient(), scopes: [KeyScopes.AdminAll]);

        var created = await ApiAssert.OkAsync(await client.PostAsync("/api/v1/webhook-endpoints", NoteData.Json("""{"url":"http://127.0.0.1:9/canary"}""")), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var rotated = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{id}/rotate-secret", null));
        var revealed = await ApiAssert.OkAsync(await client.GetAsync($"/api/v1/webhook-endpoints/{id}/secret"));
        string[] secrets = [created.GetProperty("secret").GetString()!, rotated.GetProperty("secret").GetString()!];
        Assert.Equal(secrets[1], revealed.GetProperty("secret").GetString());

        await WaitForRequestLogsAsync(org.Org.Id, 3);
        var rows = await AllRowsAsync();
        // The search sees the captured bodies and the endpoint's row.
        Assert.Contains(rows, r => r.Table.Contains("requestlog") && r.Text.Contains("rotate-secret") && r.Text.Contains("webhook_endpoint"));
        Assert.Contains(rows, r => r.Table.Contains("webhookendpoint") && r.Text.Contains(id));
        foreach (var (table, text) in rows)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret["whsec_".Length..], StringComparison.Ordinal), $"{table} holds a webhook secret: {text}");
    }

    private async Task WaitForRequestLogsAsync(string orgId, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            await app.Services.GetRequiredService<RequestLogWriter>().FlushAsync(CancellationToken.None);
            await using var session = app.Store.QuerySession();
            if (await session.Query<RequestLog>().CountAsync(l => l.OrgId == orgId) >= count) return;
            Assert.True(attempt < 100, "the request logs never landed");
            await Task.Delay(20);
        }
    }

    /// <summary>Every row of every table in this class's schema, as PostgreSQL's text form of the whole row.</summary>
    private async Task<List<(string Table, string Text)>> AllRowsAsync()
    {
        await using var conn = new NpgsqlConnection(TestDatabase.ConnectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and table_type = 'BASE TABLE'", conn))
        {
            list.Parameters.AddWithValue("s", app.Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var rows = new List<(string, string)>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select t::text from \"{app.Schema}\".\"{table}\" t", conn);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add((table, reader.GetString(0)));
        }
        return rows;
    }
}
