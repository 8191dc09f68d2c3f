using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Shared.Webhooks;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.WebhookEndpoints;

/// <summary>Rotating and revealing an endpoint's signing secret.</summary>
public sealed class SecretTests(NexusApp<SecretTests> app) : IClassFixture<NexusApp<SecretTests>>
{
    [Fact]
    public async Task Rotating_without_a_body_issues_a_new_secret_and_keeps_the_old_one_signing_for_24_hours()
    {
        var (org, client) = await SetupAsync([KeyScopes.WriteWebhooks]);
        var (endpoint, oldSecret) = await org.CreateEndpointAsync();
        var before = DateTimeOffset.UtcNow;

        var response = await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/rotate-secret", null);

        var rotated = await ApiAssert.OkAsync(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.InRange(expires, before.AddHours(24).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        var stored = (await org.LoadEndpointAsync(endpoint.Id))!;
        var box = app.Services.GetRequiredService<SecretBox>();
        Assert.Equal(newSecret, box.Decrypt(stored.SecretCiphertext));
        Assert.Equal(oldSecret, box.Decrypt(stored.PreviousSecretCiphertext!));
    }

    [Fact]
    public async Task A_grace_of_zero_stops_the_old_secret_at_once()
    {
        var (org, client) = await SetupAsync([KeyScopes.WriteWebhooks]);
        var (endpoint, _) = await org.CreateEndpointAsync();

        var rotated = await ApiAssert.OkAsync(await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/rotate-secret",
            NoteData.Json("""{"grace_period_seconds":0}""")));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, rotated.GetProperty("previous_secret_expires_at").ValueKind);
        Assert.Null((await org.LoadEndpointAsync(endpoint.Id))!.PreviousSecretCiphertext);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("700000")]
    [InlineData("604801")]
    public async Task A_grace_out_of_range_is_refused_and_changes_nothing(string grace)
    {
        var (org, client) = await SetupAsync([KeyScopes.WriteWebhooks]);
        var (endpoint, _) = await org.CreateEndpointAsync();

        var response = await client.PostAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/rotate-secret",
            NoteData.Json($$"""{"grace_period_seconds":{{grace}}}"""));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "parameter_invalid", "grace_period_seconds");
        var after = (await org.LoadEndpointAsync(endpoint.Id))!;
        Assert.Equal(endpoint.SecretCiphertext, after.SecretCiphertext);
        Assert.Null(after.PreviousSecretCiphertext);
    }

    [Fact]
    public async Task An_admin_key_reveals_the_current_secret_and_the_reveal_is_audited()
    {
        var (org, client) = await SetupAsync([KeyScopes.AdminAll]);
        var (endpoint, secret) = await org.CreateEndpointAsync();

        var response = await client.GetAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/secret");

        var revealed = await ApiAssert.OkAsync(response);
        Assert.Equal(secret, revealed.GetProperty("secret").GetString());
        Assert.Equal(endpoint.Id, revealed.GetProperty("endpoint_id").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        await using var session = app.Store.QuerySession();
        var entry = Assert.Single(await session.Query<AuditEntry>()
            .Where(e => e.OrgId == org.Org.Id && e.Action == AuditActions.EndpointSecretRevealed).ToListAsync());
        Assert.Equal(endpoint.Id, entry.TargetId);
        Assert.Equal(AuditActor.ApiKeyType, entry.ActorType);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(entry));
    }

    [Fact]
    public async Task A_write_webhooks_key_cannot_reveal_a_secret()
    {
        var (org, client) = await SetupAsync([KeyScopes.WriteWebhooks]);
        var (endpoint, secret) = await org.CreateEndpointAsync();

        var error = await ApiAssert.ErrorAsync(await client.GetAsync($"/api/v1/webhook-endpoints/{endpoint.Id}/secret"), HttpStatusCode.Forbidden, "permission_denied");

        Assert.DoesNotContain(secret, error.GetRawText());
    }

    private async Task<(TestOrg Org, HttpClient Client)> SetupAsync(IReadOnlyList<string> scopes)
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        return (org, await org.ClientWithKeyAsync(app.CreateClient(), scopes: scopes));
    }
}
