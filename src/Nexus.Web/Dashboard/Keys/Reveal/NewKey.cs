using Htmx;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Reveal;

/// <summary>
/// A key just issued (created or rolled), with its plaintext: the one response that ever holds it.
/// <paramref name="Previous"/> is the rolled key, still working until its grace ends.
/// </summary>
public sealed record NewKey(ApiKey Key, string Plaintext, ApiKey? Previous, DateTimeOffset Now)
{
    public const string View = "~/Dashboard/Keys/Reveal/_NewKey.cshtml";

    /// <summary>
    /// The panel showing the key, marked so no cache (browser, proxy, back button) keeps it, and
    /// telling the table to refresh.
    /// </summary>
    public RazorView Send(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Htmx(h => h.WithTrigger("keys-changed"));
        return RazorView.Fragment(View, this);
    }
}
