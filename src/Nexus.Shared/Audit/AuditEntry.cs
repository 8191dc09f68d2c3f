using Nexus.Shared.Common;

namespace Nexus.Shared.Audit;

/// <summary>Who did something: a dashboard user or an API key, and from where.</summary>
public sealed record AuditActor(string Type, string Id, string Label, string? Ip, string? RequestId)
{
    public const string UserType = "user";
    public const string ApiKeyType = "api_key";
    public const string SystemType = "system";

    public static AuditActor User(string userId, string email, string? ip, string? requestId) => new(UserType, userId, email, ip, requestId);
    public static AuditActor Key(string keyId, string prefix, string? ip, string? requestId) => new(ApiKeyType, keyId, prefix + "…", ip, requestId);
}

/// <summary>One field that an action changed.</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>
/// An append-only record of a change to an org's configuration (keys now; webhook endpoints and
/// replays later). No route updates or deletes these documents.
/// </summary>
public sealed class AuditEntry : IModeScoped
{
    public static string Noun => "audit entry";

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";

    /// <summary>The mode of the thing acted on.</summary>
    public Mode Mode { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Dotted action name, e.g. <c>key.created</c>.</summary>
    public string Action { get; set; } = "";

    public string ActorType { get; set; } = "";
    public string ActorId { get; set; } = "";
    public string ActorLabel { get; set; } = "";
    public string? Ip { get; set; }
    public string? RequestId { get; set; }

    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";
    public string TargetLabel { get; set; } = "";

    public List<AuditChange> Changes { get; set; } = [];

    public static AuditEntry For(string orgId, Mode mode, AuditActor actor, string action, string targetType, string targetId, string targetLabel, TimeProvider clock) => new()
    {
        Id = Ids.New("aud", clock),
        OrgId = orgId,
        Mode = mode,
        At = clock.GetUtcNow(),
        Action = action,
        ActorType = actor.Type,
        ActorId = actor.Id,
        ActorLabel = actor.Label,
        Ip = actor.Ip,
        RequestId = actor.RequestId,
        TargetType = targetType,
        TargetId = targetId,
        TargetLabel = targetLabel,
    };
}

/// <summary>The actions recorded today; later features add theirs here so filters can list them.</summary>
public static class AuditActions
{
    public const string KeyCreated = "key.created";
    public const string KeyUpdated = "key.updated";
    public const string KeyRolled = "key.rolled";
    public const string KeyRevoked = "key.revoked";
    public const string OrgPlanChanged = "org.plan_changed";
    public const string OrgDebugCaptureChanged = "org.debug_capture_changed";
    public const string OrgLogRetentionChanged = "org.log_retention_changed";
    public const string OrgTestDataReset = "org.test_data_reset";
    public const string EndpointCreated = "webhook_endpoint.created";
    public const string EndpointUpdated = "webhook_endpoint.updated";
    public const string EndpointDeleted = "webhook_endpoint.deleted";
    public const string EndpointSecretRotated = "webhook_endpoint.secret_rotated";
    public const string EndpointSecretRevealed = "webhook_endpoint.secret_revealed";
    public const string EndpointDisabled = "webhook_endpoint.disabled";
    public const string EndpointTestSent = "webhook_endpoint.test_sent";
    public const string DeliveryRetried = "webhook_delivery.retried";
    public const string EventReplayed = "event.replayed";
    public const string OrgRenamed = "org.renamed";
    public const string MemberInvited = "member.invited";
    public const string InvitationRevoked = "member.invitation_revoked";
    public const string MemberJoined = "member.joined";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string PasswordChanged = "user.password_changed";

    /// <summary>Set from a link an operator issued on the server (<c>reset-password</c>); the actor is of type <c>system</c>.</summary>
    public const string PasswordReset = "user.password_reset";

    /// <summary>An operator issued a reset link (<c>reset-password</c>); recorded whether or not it is used.</summary>
    public const string PasswordResetIssued = "user.password_reset_issued";
    public const string TwoFactorEnabled = "user.two_factor_enabled";
    public const string TwoFactorDisabled = "user.two_factor_disabled";
    public const string RecoveryCodesRegenerated = "user.recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "user.recovery_code_used";
    public const string OrgTwoFactorRequired = "org.two_factor_required";
    public const string OrgTwoFactorNotRequired = "org.two_factor_not_required";
    public const string SessionRevoked = "user.session_revoked";

    public static readonly IReadOnlyList<string> All = [KeyCreated, KeyUpdated, KeyRolled, KeyRevoked, OrgPlanChanged, OrgDebugCaptureChanged, OrgLogRetentionChanged, OrgTestDataReset,
        EndpointCreated, EndpointUpdated, EndpointDeleted, EndpointSecretRotated, EndpointSecretRevealed, EndpointDisabled, EndpointTestSent, DeliveryRetried, EventReplayed,
        OrgRenamed, MemberInvited, InvitationRevoked, MemberJoined, MemberRoleChanged, MemberRemoved, MemberLeft,
        PasswordChanged, PasswordResetIssued, PasswordReset, TwoFactorEnabled, TwoFactorDisabled, RecoveryCodesRegenerated, RecoveryCodeUsed, SessionRevoked, OrgTwoFactorRequired, OrgTwoFactorNotRequired];
}
