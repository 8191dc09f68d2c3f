using FastEndpoints;
using FluentValidation;

namespace Nexus.Web.Api.Keys.Update;

/// <summary>
/// The settings to change; a field that is absent or null stays as it is. Kind, mode and expiry
/// cannot change: roll or create a key for that.
/// </summary>
public sealed class Request
{
    /// <summary>The key's id (from the path).</summary>
    /// <remarks>Not a body field: an <c>id</c> in the body is an unknown parameter, not a silent no-op.</remarks>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>A new label, 1–60 characters.</summary>
    public string? Name { get; init; }

    /// <summary>The new scopes, replacing the old ones (at least one; publishable keys only read scopes).</summary>
    public List<string>? Scopes { get; init; }

    /// <summary>The new IP allowlist, replacing the old one; <c>[]</c> clears it (any address).</summary>
    public List<string>? AllowedIps { get; init; }

    /// <summary>The new per-minute limit, 1 to the plan's limit; <c>0</c> clears it (the plan's limit applies).</summary>
    public int? RateLimitPerMinute { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Scopes).Must(s => s is null || s.All(e => e is not null)).WithMessage("scopes must be a list of scope names");
            RuleFor(x => x.AllowedIps).Must(s => s is null || s.All(e => e is not null)).WithMessage("allowed_ips must be a list of IP addresses or CIDR ranges");
        }
    }
}
