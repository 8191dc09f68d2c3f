using System.Security.Claims;
using Htmx;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// The signed-in dashboard user, their org and role, and how many orgs they belong to (the account
/// menu offers a switch when more than one); loaded once per request.
/// </summary>
public sealed record DashboardMember(User User, Organization Org, Membership Membership, int OrgCount = 1)
{
    public const string UserClaim = "nx:user";
    public const string OrgClaim = "nx:org";
    public const string StampClaim = "nx:stamp";

    /// <summary>The cookie's claims; the session token is that of its <see cref="UserSession"/> (<see cref="DashboardSessions"/>).</summary>
    public static ClaimsPrincipal Principal(User user, Organization org, string sessionToken) => new(new ClaimsIdentity(
    [
        new Claim(UserClaim, user.Id),
        new Claim(OrgClaim, org.Id),
        new Claim(StampClaim, user.SecurityStamp),
        new Claim(DashboardSessions.TokenClaim, sessionToken),
        new Claim(ClaimTypes.Name, user.Email),
    ], CookieAuthenticationDefaults.AuthenticationScheme));
}

public static class DashboardAuth
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string MemberItem = "nx:member";

    public static DashboardMember Member(this HttpContext ctx) =>
        ctx.Items[MemberItem] as DashboardMember ?? throw new InvalidOperationException("No signed-in dashboard member.");

    public static DashboardMember? MemberOrNull(this HttpContext ctx) => ctx.Items[MemberItem] as DashboardMember;

    /// <summary>
    /// A handler that changed the signed-in user and answers with a page passes the user as saved: the
    /// member was loaded before the change, and the layout (whether an org's two-factor requirement
    /// still holds them, and so whether the worker badge polls) must see the user the page shows.
    /// </summary>
    public static void RefreshMember(this HttpContext ctx, User user)
    {
        if (ctx.MemberOrNull() is { } member && member.User.Id == user.Id) ctx.Items[MemberItem] = member with { User = user };
    }

    public static AuthenticationBuilder AddDashboardCookie(this AuthenticationBuilder auth) =>
        auth.AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "nexus_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToLogin = ctx =>
            {
                // An HTMX request cannot follow a 302 into a full page: ask htmx to navigate.
                if (ctx.Request.IsHtmx())
                {
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    ctx.Response.Htmx(h => h.Redirect("/login"));
                }
                else ctx.Response.Redirect(ctx.RedirectUri);
                return Task.CompletedTask;
            };
        });

    /// <summary>
    /// Checked on every dashboard request: the user still exists, the cookie's session is theirs and
    /// has not ended (logout, signed out from another session, a password change), the security stamp
    /// is the current one, and the user is still a member of the org in the cookie. A cookie from
    /// before sessions were recorded has no session token and is refused: log in once more.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        // The API authenticates with keys only; a dashboard cookie riding along on an API call
        // (e.g. "try it" in the docs) is ignored rather than costing a query.
        if (ctx.HttpContext.Request.IsApi())
        {
            ctx.RejectPrincipal();
            return;
        }

        var principal = ctx.Principal;
        var userId = principal?.FindFirstValue(DashboardMember.UserClaim);
        var orgId = principal?.FindFirstValue(DashboardMember.OrgClaim);
        var stamp = principal?.FindFirstValue(DashboardMember.StampClaim);
        var token = DashboardSessions.TokenOf(principal);
        if (userId is null || orgId is null || stamp is null || token is null)
        {
            ctx.RejectPrincipal();
            return;
        }

        // One round trip for all four: this runs on every dashboard request, status polls included.
        // All of the user's memberships (a handful at most) come with it, so the account menu knows
        // whether to offer a switch without a query of its own.
        var batch = ctx.HttpContext.RequestServices.GetRequiredService<IQuerySession>().CreateBatchQuery();
        var userLoad = batch.Load<User>(userId);
        var orgLoad = batch.Load<Organization>(orgId);
        var membershipsLoad = batch.Query<Membership>().Where(m => m.UserId == userId).ToList();
        var sessionLoad = batch.Load<UserSession>(SessionTokens.Hash(token));
        await batch.Execute(ctx.HttpContext.RequestAborted);
        var (user, org, memberships, session) = (await userLoad, await orgLoad, await membershipsLoad, await sessionLoad);
        var membership = memberships.FirstOrDefault(m => m.OrgId == orgId);
        var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

        if (user is null || org is null || membership is null || user.SecurityStamp != stamp
            || session is null || session.UserId != userId || !session.IsActiveAt(now))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Scheme);
            return;
        }
        ctx.HttpContext.Items[MemberItem] = new DashboardMember(user, org, membership, memberships.Count);
        DashboardSessions.SetCurrent(ctx.HttpContext, session);
        await DashboardSessions.SeenAsync(ctx.HttpContext, session, now);
    }
}
