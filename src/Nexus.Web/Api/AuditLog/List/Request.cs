using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Web.Api.AuditLog.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 10.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (an entry id). Returns older entries.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>
    /// Only entries of this action, e.g. <c>key.created</c>, <c>key.revoked</c>, <c>webhook_endpoint.updated</c>,
    /// <c>org.renamed</c>, <c>org.two_factor_required</c>, <c>org.two_factor_not_required</c>, <c>member.invited</c>, <c>member.invitation_revoked</c>, <c>member.joined</c>,
    /// <c>member.role_changed</c>, <c>member.removed</c>, <c>member.left</c>, <c>user.password_changed</c>, <c>user.password_reset_issued</c>, <c>user.password_reset</c>,
    /// <c>user.two_factor_enabled</c>, <c>user.two_factor_disabled</c>, <c>user.recovery_codes_regenerated</c>, <c>user.recovery_code_used</c> or <c>user.session_revoked</c>
    /// (any other value is a 400 that lists them all).
    /// </summary>
    [QueryParam]
    [QueryValues(typeof(AuditActions), nameof(AuditActions.All))]
    public string? Action { get; init; }

    /// <summary>Only entries made by this user or key (<c>user_…</c> or <c>key_…</c>).</summary>
    [QueryParam, BindFrom("actor_id")]
    public string? ActorId { get; init; }

    /// <summary>Only entries about this object (e.g. a <c>key_…</c>).</summary>
    [QueryParam, BindFrom("target_id")]
    public string? TargetId { get; init; }

    /// <summary>Only entries at or after this time: ISO 8601, e.g. <c>2026-11-22T10:00:00Z</c> or <c>2026-11-22</c> (UTC midnight).</summary>
    [QueryParam, BindFrom("created_gte")]
    public string? CreatedGte { get; init; }

    /// <summary>Only entries before this time (ISO 8601, as <c>created_gte</c>).</summary>
    [QueryParam, BindFrom("created_lt")]
    public string? CreatedLt { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(AuditLogApi.IdPrefix, "an audit entry id");
            RuleFor(x => x.Action)
                .Must(a => a is null || AuditActions.All.Contains(a))
                .WithMessage($"action must be one of {string.Join(", ", AuditActions.All)}");
            RuleFor(x => x.ActorId).Must(id => id is null || Ids.IsWellFormed(id, "user") || Ids.IsWellFormed(id, "key"))
                .WithMessage("actor_id must be a user id (user_…) or a key id (key_…)");
            RuleFor(x => x.TargetId).Must(id => id is null || ApiQuery.LooksLikeId(id)).WithMessage("target_id must be an object id, like key_…");
            this.CreatedRange(x => x.CreatedGte, x => x.CreatedLt);
        }
    }
}
