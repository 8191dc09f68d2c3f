using FastEndpoints;
using FluentValidation;

namespace Nexus.Web.Api.Keys.Create;

/// <summary>A new key. Its mode is always the caller's; the org and everything else is set by Nexus.</summary>
public sealed class Request
{
    /// <summary>A label for people, 1–60 characters, e.g. "Production server".</summary>
    public string? Name { get; init; }

    /// <summary><c>secret</c> (default) or <c>publishable</c> (read-only, safe in a browser).</summary>
    public string? Kind { get; init; }

    /// <summary>Scopes to grant, e.g. <c>["read:notes"]</c>. Default: every scope but <c>admin:all</c> for a secret key, every read scope for a publishable one. Publishable keys may hold only read scopes.</summary>
    public List<string>? Scopes { get; init; }

    /// <summary>Optional: when the key stops working (ISO 8601 with offset, in the future).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Optional: up to 50 IP addresses or CIDR ranges (e.g. <c>203.0.113.0/24</c>, <c>2001:db8::/32</c>) requests must come from. Absent or empty: any address.</summary>
    public List<string>? AllowedIps { get; init; }

    /// <summary>Optional: the key's own limit on requests per minute, from 1 to the plan's limit. Absent: the plan's limit.</summary>
    public int? RateLimitPerMinute { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Kind).Must(k => k is null or "secret" or "publishable").WithMessage("kind must be secret or publishable");
            // Null entries would otherwise reach the shared rules, which expect strings.
            RuleFor(x => x.Scopes).Must(s => s is null || s.All(e => e is not null)).WithMessage("scopes must be a list of scope names");
            RuleFor(x => x.AllowedIps).Must(s => s is null || s.All(e => e is not null)).WithMessage("allowed_ips must be a list of IP addresses or CIDR ranges");
        }
    }
}
