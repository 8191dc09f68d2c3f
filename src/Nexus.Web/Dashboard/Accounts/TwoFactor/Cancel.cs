using FastEndpoints;
using Marten;

namespace Nexus.Web.Dashboard.Accounts.TwoFactor;

/// <summary>
/// "Start again" at the code step: ends the login waiting for its code, not only in this browser (the
/// cookie is cleared) but everywhere (<see cref="PendingLogins.EndAll"/>), so a copy of the cookie cannot
/// finish it either. With nothing pending (already finished, expired, or never started) there is nothing
/// to end, and it goes back to the password as well.
/// </summary>
public sealed class Cancel(IDocumentSession session, PendingLogins pendingLogins) : EndpointWithoutRequest
{
    public const string Path = Endpoint.Path + "/cancel";

    public override void Configure()
    {
        Post(Path);
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (pendingLogins.Read(HttpContext) is { } pending)
        {
            PendingLogins.EndAll(session, pending.UserId);
            await session.SaveChangesAsync(ct);
        }
        PendingLogins.Clear(HttpContext);
        await Send.RedirectAsync("/login");
    }
}
