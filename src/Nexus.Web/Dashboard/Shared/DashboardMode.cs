using Htmx;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Nexus.Shared.Common;

namespace Nexus.Web.Dashboard.Shared;

/// <summary>
/// The dashboard shows one mode at a time, test or live, the way Stripe's dashboard does: every
/// page lists only that mode's keys, logs, usage, webhooks and audit entries, and the layout says
/// which mode it is.
/// <para>
/// The mode lives in the URL (<c>?mode=live</c>), so a link shows the same data to whoever opens
/// it and a page's fragments (filters, "Load more", polling) keep the page's mode even after
/// another tab switched. A page opened without it gets the mode last chosen, remembered in the
/// <c>nx_mode</c> cookie; a missing cookie means test, the sandbox. Only a page navigation with an
/// explicit mode changes the cookie: an htmx request from an older tab must not switch the mode
/// under the user's feet.
/// </para>
/// </summary>
public static class DashboardMode
{
    public const string CookieName = "nx_mode";
    public const string QueryName = "mode";
    private const string ItemKey = "nx.dashboard-mode";

    /// <summary>The mode this request shows: the one a page set for its object, else the URL's (after <see cref="Middleware"/> filled it in), else test.</summary>
    public static Mode Of(HttpContext ctx) =>
        ctx.Items[ItemKey] is Mode set ? set
        : ModeNames.OrTest(ctx.Request.Query[QueryName]);

    /// <summary>
    /// For a page about one object (a request log entry), whose mode is the object's: the layout
    /// shows it, and a navigation there makes it the mode remembered for the next pages.
    /// </summary>
    public static void Show(HttpContext ctx, Mode mode)
    {
        ctx.Items[ItemKey] = mode;
        if (IsNavigation(ctx.Request)) Remember(ctx, mode);
    }

    /// <summary>
    /// The switch's link: this page in mode <paramref name="to"/>, by its path alone (filters such as
    /// a key id belong to one mode), or by the path a page about one object names in
    /// <c>ViewData["ModePath"]</c> (its list: the object exists in one mode only).
    /// </summary>
    public static string SwitchHref(HttpContext ctx, ViewDataDictionary viewData, Mode to) =>
        $"{viewData["ModePath"] as string ?? ctx.Request.Path.Value ?? "/"}?{QueryName}={to.ToWire()}";

    /// <summary>Whether this request's endpoint is <see cref="ModeFree"/> (the Account page and its forms).</summary>
    public static bool IsFree(HttpContext ctx) => ctx.GetEndpoint()?.Metadata.GetMetadata<ModeFree>() is not null;

    private static bool IsNavigation(HttpRequest request) => HttpMethods.IsGet(request.Method) && !request.IsHtmx();

    private static void Remember(HttpContext ctx, Mode mode)
    {
        var wire = mode.ToWire();
        if (ctx.Request.Cookies[CookieName] == wire) return;
        ctx.Response.Cookies.Append(CookieName, wire, new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            Secure = ctx.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });
    }

    /// <summary>
    /// Runs after routing and before the endpoints bind their query strings: a dashboard URL without a
    /// mode gets the remembered one written into its query, so every page and fragment reads the mode
    /// from one place, the URL; a navigation that names a mode makes it the remembered one, unless its
    /// page is <see cref="ModeFree"/>.
    /// </summary>
    public sealed class Middleware(RequestDelegate next)
    {
        public Task InvokeAsync(HttpContext ctx)
        {
            var request = ctx.Request;
            if (request.Query.ContainsKey(QueryName))
            {
                if (IsNavigation(request) && !IsFree(ctx) && ModeNames.TryParse(request.Query[QueryName], out var named)) Remember(ctx, named);
            }
            // A form that names its mode (the create-key form) acts in that mode: the query would override
            // the field in binding, and another tab may have switched the remembered mode meanwhile. Only
            // a form NulCharacterGuard has already read is looked at: reading one here would be synchronous.
            else if (ModeNames.TryParse(request.Cookies[CookieName], out var remembered)
                && ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form?.ContainsKey(QueryName) != true)
            {
                request.QueryString = request.QueryString.Add(QueryName, remembered.ToWire());
            }
            return next(ctx);
        }
    }
}
