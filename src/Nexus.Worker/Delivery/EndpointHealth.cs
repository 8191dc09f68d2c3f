using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Nexus.Shared.Audit;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>
/// Keeps an endpoint's count of dead letters in a row, and disables an endpoint that answers
/// 410 Gone or keeps dead-lettering. The count changes with one atomic SQL update (many
/// deliveries of one endpoint finish at once, in several workers). Disabling is one transaction:
/// the endpoint's flag (set only if still enabled, so exactly one worker disables it), an audit
/// entry by the system, and an <c>endpoint.disabled</c> event for the org's other endpoints.
/// </summary>
public sealed class EndpointHealth(IDocumentStore store, NpgsqlDataSource db, DeliveryOptions options, TimeProvider clock, ILogger<EndpointHealth> log)
{
    public static readonly AuditActor System = new(AuditActor.SystemType, "webhook-worker", "Nexus webhook worker", null, null);
    private readonly string _table = store.Options.Schema.For<WebhookEndpoint>().ToString();
    private readonly ISerializer _json = store.Options.Serializer();

    public async Task ApplyAsync(EndpointEffect effect, string endpointId, CancellationToken ct)
    {
        switch (effect)
        {
            case EndpointEffect.ResetDeadLetters:
                await SetDeadLettersAsync(endpointId, "0", ct);
                break;
            case EndpointEffect.CountDeadLetter:
                var count = await SetDeadLettersAsync(endpointId, "coalesce((data->>'ConsecutiveDeadLetters')::int, 0) + 1", ct);
                if (count >= options.DisableAfterDeadLetters)
                    await DisableAsync(endpointId, $"{count} deliveries in a row were dead-lettered.", ct);
                break;
            case EndpointEffect.DisableGone:
                await DisableAsync(endpointId, "The endpoint answered 410 Gone.", ct);
                break;
        }
    }

    private async Task<int?> SetDeadLettersAsync(string endpointId, string valueSql, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($$"""
            update {{_table}} set data = jsonb_set(data, '{ConsecutiveDeadLetters}', to_jsonb({{valueSql}})), mt_last_modified = now()
            where id = @id returning (data->>'ConsecutiveDeadLetters')::int
            """);
        cmd.Parameters.AddWithValue("id", endpointId);
        return await cmd.ExecuteScalarAsync(ct) as int?;
    }

    /// <summary>Disables the endpoint unless it already is; returns whether this call did it.</summary>
    public async Task<bool> DisableAsync(string endpointId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);
        WebhookEndpoint endpoint;
        await using (var cmd = new NpgsqlCommand($$"""
            update {{_table}}
            set data = data || jsonb_build_object('Enabled', false, 'DisabledReason', @reason::text, 'UpdatedAt', @now_json), mt_last_modified = now()
            where id = @id and (data->>'Enabled')::boolean and not (data->>'Deleted')::boolean
            returning data
            """, (NpgsqlConnection)session.Connection!))
        {
            cmd.Parameters.AddWithValue("id", endpointId);
            cmd.Parameters.AddWithValue("reason", reason);
            cmd.Parameters.Add(new NpgsqlParameter("now_json", NpgsqlDbType.Jsonb) { Value = _json.ToJson(now) });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return false;
            endpoint = _json.FromJson<WebhookEndpoint>(reader, 0);
        }

        var entry = AuditEntry.For(endpoint.OrgId, endpoint.Mode, System, AuditActions.EndpointDisabled, "webhook_endpoint", endpoint.Id, endpoint.Url, clock);
        entry.Changes.Add(new("enabled", "true", "false"));
        entry.Changes.Add(new("disabled_reason", null, reason));
        session.Store(entry);
        var data = JsonSerializer.Serialize(new { @object = "webhook_endpoint", id = endpoint.Id, url = endpoint.Url, reason });
        await EventOutbox.PublishAsync(session, endpoint.OrgId, endpoint.Mode, EventCatalog.EndpointDisabled, data, null, clock, ct);
        await session.SaveChangesAsync(ct);
        log.LogWarning("Disabled webhook endpoint {EndpointId} of org {OrgId}: {Reason}", endpoint.Id, endpoint.OrgId, reason);
        return true;
    }
}
