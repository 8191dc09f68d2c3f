namespace Nexus.Shared.Accounts;

public enum Role
{
    Viewer,
    Developer,
    Admin,
    Owner,
}

public sealed class Membership
{
    public string Id { get; set; } = "";
    public string OrgId { get; set; } = "";
    public string UserId { get; set; } = "";
    public Role Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
