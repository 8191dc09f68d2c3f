using Nexus.Shared.Common;

namespace Nexus.Shared.Customers;

/// <summary>A customer of the org: name, email and free-form metadata, per mode.</summary>
public sealed class Customer : IModeScoped
{
    public static string Noun => "customer";

    public const string IdPrefix = "cus";

    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public Mode Mode { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>The email in lower case, for the list's case-insensitive filter.</summary>
    public string? EmailLower { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
