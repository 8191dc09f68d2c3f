using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Dashboard.Invitations;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Accounts.ResetPassword;

/// <summary>A pending password reset found by its link, with its user.</summary>
public sealed record OpenReset(PasswordReset Reset, User User);

/// <summary>
/// Finding password resets by their link (<c>/reset-password/nxpwr_…</c>, printed by the operator's
/// <c>reset-password</c> command). As with invitations, every way a link can be wrong (mangled,
/// unknown, expired, used, replaced) gets the same 404 page, so the answer helps no guessing.
/// </summary>
public static class ResetLinks
{
    private const string InvalidView = "~/Dashboard/Accounts/ResetPassword/Invalid.cshtml";

    public const string PathPrefix = "/reset-password/";

    public static async Task<OpenReset?> FindAsync(IQuerySession session, string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (!LinkTokens.PasswordReset.IsWellFormed(token)) return null;
        var hash = LinkTokens.Hash(token!);
        var reset = await session.Query<PasswordReset>().FirstOrDefaultAsync(r => r.TokenHash == hash, ct);
        if (reset is null || !reset.IsPendingAt(now)) return null;
        var user = await session.LoadAsync<User>(reset.Id, ct);
        return user is null ? null : new OpenReset(reset, user);
    }

    public static IResult Invalid() => RazorView.Page(InvalidView, null, StatusCodes.Status404NotFound);

    /// <summary>
    /// The actor of a reset's audit entries: the operator, who issued the link on the server. When the link
    /// is used, the address and request are those of whoever used it.
    /// </summary>
    public static AuditActor Operator(string? ip = null, string? requestId = null) =>
        new(AuditActor.SystemType, "command-line", "operator (command line)", ip, requestId);

    /// <summary>The page's URL holds the token: no link from it may send it on (as for invitations).</summary>
    public static void Protect(HttpContext http) => InvitationLinks.Protect(http);
}
