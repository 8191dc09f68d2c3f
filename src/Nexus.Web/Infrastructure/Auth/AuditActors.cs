using Nexus.Shared.Audit;

namespace Nexus.Web.Infrastructure.Auth;

public static class AuditActors
{
    /// <summary>
    /// Who is acting in this request, for the audit log: the signed-in dashboard user, or else the
    /// API key. The IP is the client address after trusted-proxy resolution.
    /// </summary>
    public static AuditActor Actor(this HttpContext ctx)
    {
        var ip = ctx.Connection.RemoteIpAddress?.ToString();
        if (ctx.MemberOrNull() is { } member)
            return AuditActor.User(member.User.Id, member.User.Email, ip, ctx.TraceIdentifier);
        var caller = ctx.Caller();
        return AuditActor.Key(caller.KeyId, caller.KeyPrefix, ip, ctx.TraceIdentifier);
    }
}
