using Nexus.Web.Infrastructure.Docs;
using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Web.Api.Keys.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 10.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (a key id). Returns keys created before it.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only keys in this status: <c>active</c>, <c>expiring</c>, <c>expired</c> or <c>revoked</c>.</summary>
    [QueryParam]
    [QueryValues(typeof(KeyStatusNames), nameof(KeyStatusNames.All))]
    public string? Status { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(KeyApi.IdPrefix, "a key id");
            RuleFor(x => x.Status)
                .Must(s => s is null || KeyStatusNames.TryParse(s, out _))
                .WithMessage("status must be one of active, expiring, expired, revoked");
        }
    }
}
