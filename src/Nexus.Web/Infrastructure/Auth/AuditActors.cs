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
        if (ctx.MemberOrNull() is { } member)
            return ctx.ActorFor(member.User);
        var caller = ctx.Caller();
        return AuditActor.Key(caller.KeyId, caller.KeyPrefix, ctx.Connection.RemoteIpAddress?.ToString(), ctx.TraceIdentifier);
    }

    /// <summary><paramref name="user"/> acting in this request before they are a member of the org acted on (joining it).</summary>
    public static AuditActor ActorFor(this HttpContext ctx, Nexus.Shared.Accounts.User user) =>
        AuditActor.User(user.Id, user.Email, ctx.Connection.RemoteIpAddress?.ToString(), ctx.TraceIdentifier);
}
