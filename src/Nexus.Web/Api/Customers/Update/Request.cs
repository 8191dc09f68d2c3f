using FastEndpoints;

namespace Nexus.Web.Api.Customers.Update;

/// <summary>The fields to change; absent fields stay as they are.</summary>
public sealed class Request
{
    /// <summary>The customer's id (from the path).</summary>
    /// <remarks>Not a body field: an <c>id</c> in the body is an unknown parameter, not a silent no-op.</remarks>
    [RouteParam]
    public string Id { get; init; } = "";

    /// <summary>A new name, up to 256 characters on one line; <c>""</c> clears it.</summary>
    public string? Name { get; init; }

    /// <summary>A new email address; <c>""</c> clears it.</summary>
    public string? Email { get; init; }

    /// <summary>Keys to set; a key with an empty or null value is removed, keys not named are kept.</summary>
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
