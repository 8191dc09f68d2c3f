namespace Nexus.Web.Api.AuditLog;

public static class AuditLogApi
{
    public const string Tag = "Audit log";
    public const string IdPrefix = "aud";
}
