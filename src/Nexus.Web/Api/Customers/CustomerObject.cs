using Nexus.Shared.Common;
using Nexus.Shared.Customers;

namespace Nexus.Web.Api.Customers;

/// <summary>A customer as the API shows it.</summary>
public sealed class CustomerObject
{
    /// <summary>Unique id, e.g. <c>cus_06h0c0032nr9d50bcjwkpn57fm</c>. Ids sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>customer</c>.</summary>
    public string Object { get; init; } = "customer";

    /// <summary>Full name or business name; null when not set.</summary>
    public required string? Name { get; init; }

    /// <summary>Email address; null when not set.</summary>
    public required string? Email { get; init; }

    /// <summary>Your own key–value pairs (up to 50), e.g. <c>{"crm_id": "8841"}</c>.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>When the customer was created (ISO 8601, UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the customer last changed (ISO 8601, UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public static CustomerObject From(Customer c) => new()
    {
        Id = c.Id,
        Name = c.Name,
        Email = c.Email,
        Metadata = c.Metadata,
        Mode = c.Mode.ToWire(),
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };

    public static readonly CustomerObject Example = new()
    {
        Id = "cus_06h0c0032nr9d50bcjwkpn57fm",
        Name = "Jenny Rosen",
        Email = "jenny@example.com",
        Metadata = new Dictionary<string, string> { ["crm_id"] = "8841" },
        Mode = "test",
        CreatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z"),
        UpdatedAt = DateTimeOffset.Parse("2026-11-22T10:00:00Z"),
    };
}
