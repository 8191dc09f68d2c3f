using System.Linq.Expressions;
using Nexus.Shared.Keys;

namespace Nexus.Web.Api.Keys;

/// <summary>
/// <see cref="ApiKey.StatusAt"/> as a database condition, so a status filter pages in SQL rather
/// than in memory. A key ends at the earlier of its expiry and its roll's grace end.
/// </summary>
public static class KeyStatusFilter
{
    public static Expression<Func<ApiKey, bool>> For(KeyStatus status, DateTimeOffset now)
    {
        var soon = now + KeyRules.ExpiringWindow;
        return status switch
        {
            KeyStatus.Revoked => k => k.RevokedAt != null,
            KeyStatus.Expired => k => k.RevokedAt == null
                && ((k.ExpiresAt != null && k.ExpiresAt <= now) || (k.GraceEndsAt != null && k.GraceEndsAt <= now)),
            KeyStatus.Expiring => k => k.RevokedAt == null
                && (k.ExpiresAt == null || k.ExpiresAt > now) && (k.GraceEndsAt == null || k.GraceEndsAt > now)
                && ((k.ExpiresAt != null && k.ExpiresAt <= soon) || (k.GraceEndsAt != null && k.GraceEndsAt <= soon)),
            _ => k => k.RevokedAt == null
                && (k.ExpiresAt == null || k.ExpiresAt > soon) && (k.GraceEndsAt == null || k.GraceEndsAt > soon),
        };
    }
}
