using FastEndpoints;

namespace Nexus.Web.Api.Customers.Create;

/// <summary>A new customer; every field is optional.</summary>
public sealed class Request
{
    /// <summary>Full name or business name, up to 256 characters on one line (no line breaks, tabs or other control characters).</summary>
    public string? Name { get; init; }

    /// <summary>Email address, e.g. <c>jenny@example.com</c>.</summary>
    public string? Email { get; init; }

    /// <summary>Up to 50 key–value pairs of your own (keys up to 40 characters on one line, values up to 500).</summary>
    public Dictionary<string, string?>? Metadata { get; init; }

    internal sealed class Validator : Validator<Request>
    {
        public Validator()
        {
            RuleFor(x => x.Name).CustomerName();
            RuleFor(x => x.Email).CustomerEmail();
            RuleFor(x => x.Metadata).CustomerMetadata();
        }
    }
}
