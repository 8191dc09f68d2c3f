using Nexus.Shared.Audit;

namespace Nexus.Web.Api.AuditLog;

/// <summary>One recorded change to the org's configuration. Entries are append-only: no route edits or deletes them.</summary>
public sealed class AuditEntryObject
{
    /// <summary>Unique id, e.g. <c>aud_01jd4n6x9m3f8r2k7q5w0y1z3a</c>. Ids sort by time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>audit_entry</c>.</summary>
    public string Object { get; init; } = "audit_entry";

    /// <summary>What happened: <c>key.created</c>, <c>key.updated</c>, <c>key.rolled</c> or <c>key.revoked</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Who did it: a dashboard user, an API key, or Nexus itself or its operator (type <c>system</c>).</summary>
    public required AuditParty Actor { get; init; }

    /// <summary>The client address the change came from; null when unknown.</summary>
    public required string? Ip { get; init; }

    /// <summary>The id of the request that made the change (its <c>X-Request-Id</c>).</summary>
    public required string? RequestId { get; init; }

    /// <summary>What it was done to.</summary>
    public required AuditParty Target { get; init; }

    /// <summary>The fields that changed, with their values before and after (null where there was none). Secrets never appear.</summary>
    public required IReadOnlyList<AuditChangeObject> Changes { get; init; }

    /// <summary>When it happened (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public static AuditEntryObject From(AuditEntry e) => new()
    {
        Id = e.Id,
        Action = e.Action,
        Actor = new AuditParty { Type = e.ActorType, Id = e.ActorId, Label = e.ActorLabel },
        Ip = e.Ip,
        RequestId = e.RequestId,
        Target = new AuditParty { Type = e.TargetType, Id = e.TargetId, Label = e.TargetLabel },
        Changes = e.Changes.Select(c => new AuditChangeObject { Field = c.Field, Before = c.Before, After = c.After }).ToList(),
        CreatedAt = e.At,
    };

    public static readonly AuditEntryObject Example = new()
    {
        Id = "aud_01jd4n6x9m3f8r2k7q5w0y1z3a",
        Action = AuditActions.KeyUpdated,
        Actor = new AuditParty { Type = AuditActor.ApiKeyType, Id = "key_01jd4m2a8b0c2d4e6f8g0h2j4k", Label = "nx_live_Zx9Yw8…" },
        Ip = "203.0.113.7",
        RequestId = "req_01jd4n6x9m3f8r2k7q5w0y1z3b",
        Target = new AuditParty { Type = "api_key", Id = "key_01jd4n6x9m3f8r2k7q5w0y1z3a", Label = "Production server (nx_live_a1B2c3…)" },
        Changes = [new AuditChangeObject { Field = "scopes", Before = "read:notes write:notes", After = "read:notes" }],
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The actor or target of an audit entry.</summary>
public sealed class AuditParty
{
    /// <summary>
    /// <c>user</c>, <c>api_key</c> or <c>system</c> (Nexus's worker; <c>command-line</c>, "operator (command line)", for a
    /// password reset an operator issued on the server) for actors; for targets <c>api_key</c>, <c>webhook_endpoint</c>, <c>organization</c>,
    /// <c>invitation</c> (its id and invited email, never its link) or <c>member</c> (the user's id and email).
    /// </summary>
    public required string Type { get; init; }

    /// <summary>Its id (<c>user_…</c>, <c>key_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>A label for people, as it was at the time: a user's email, a key's prefix (<c>nx_live_a1B2c3…</c>), a key's name and prefix.</summary>
    public required string Label { get; init; }
}

/// <summary>One field an action changed.</summary>
public sealed class AuditChangeObject
{
    /// <summary>The field, e.g. <c>scopes</c>, <c>allowed_ips</c>, <c>status</c>.</summary>
    public required string Field { get; init; }

    /// <summary>Its value before (lists space-separated); null if it had none.</summary>
    public required string? Before { get; init; }

    /// <summary>Its value after; null if it has none.</summary>
    public required string? After { get; init; }
}
