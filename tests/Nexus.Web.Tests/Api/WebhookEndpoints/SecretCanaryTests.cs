using System.Net;
using Marten;
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
        var rows = await TestDatabase.RowsAsync(app.Schema);
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
}
