using System.Text.Json;
using Marten;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Keys;

/// <summary>
/// The webhook events a key change publishes. Each is added to the change's session (the outbox),
/// so it commits with the change or not at all. The data describes the key, never the key itself.
/// </summary>
internal static class KeyEvents
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task CreatedAsync(IDocumentSession session, ApiKey key, AuditActor actor, TimeProvider clock, CancellationToken ct) =>
        PublishAsync(session, EventCatalog.KeyCreated, key, new
        {
            Object = "api_key", key.Id, key.Name, key.Prefix, Kind = key.Kind == KeyKind.Publishable ? "publishable" : "secret", key.Scopes,
        }, actor, clock, ct);

    public static Task RolledAsync(IDocumentSession session, ApiKey old, ApiKey successor, AuditActor actor, TimeProvider clock, CancellationToken ct) =>
        PublishAsync(session, EventCatalog.KeyRolled, old, new { Object = "api_key", old.Id, RolledTo = successor.Id, GraceEndsAt = Timestamps.Format(old.GraceEndsAt) }, actor, clock, ct);

    public static Task RevokedAsync(IDocumentSession session, ApiKey key, AuditActor actor, TimeProvider clock, CancellationToken ct) =>
        PublishAsync(session, EventCatalog.KeyRevoked, key, new { Object = "api_key", key.Id, key.Name, key.Prefix, RevokedAt = Timestamps.Format(key.RevokedAt) }, actor, clock, ct);

    private static Task PublishAsync(IDocumentSession session, string type, ApiKey key, object data, AuditActor actor, TimeProvider clock, CancellationToken ct) =>
        EventOutbox.PublishAsync(session, key.OrgId, key.Mode, type, JsonSerializer.Serialize(data, Json), actor.RequestId, clock, ct);
}
