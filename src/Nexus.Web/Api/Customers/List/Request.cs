using FastEndpoints;
using FluentValidation;
using Nexus.Shared.Common;
using Nexus.Shared.Customers;

namespace Nexus.Web.Api.Customers.List;

public sealed class Request
{
    /// <summary>Page size, 1–100. Default 10.</summary>
    [QueryParam]
    public int? Limit { get; init; }

    /// <summary>Cursor: the <c>next_cursor</c> of the previous page (a customer id). Returns customers created before it.</summary>
    [QueryParam, BindFrom("starting_after")]
    public string? StartingAfter { get; init; }

    /// <summary>Only customers with exactly this email address (case-insensitive).</summary>
    [QueryParam]
    public string? Email { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Limit).PageLimit();
            RuleFor(x => x.StartingAfter).Cursor(Customer.IdPrefix, "a customer id");
            RuleFor(x => x.Email).Must(e => e is null || e.Length <= CustomerApi.EmailMax).WithMessage($"email must be at most {CustomerApi.EmailMax} characters");
        }
    }
}
