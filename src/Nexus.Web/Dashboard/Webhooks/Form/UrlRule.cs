using Nexus.Shared.Webhooks;

namespace Nexus.Web.Dashboard.Webhooks.Form;

/// <summary>
/// The URL field's help: the rule this deployment's <see cref="SsrfGuard"/> applies, so the form never
/// promises less or more than a save accepts. By default (production) that is HTTPS on a public
/// address; settings may allow plain http and chosen private networks (development allows loopback).
/// </summary>
public static class UrlRule
{
    public static string Describe(SsrfGuard guard)
    {
        var scheme = guard.AllowHttp ? "HTTPS or plain HTTP" : "HTTPS";
        var where = guard.AllowedNetworks.Count == 0
            ? "on a public address"
            : $"on a public address or in {string.Join(", ", guard.AllowedNetworks)}" + (guard.PermitsLoopback ? " (localhost too)" : "");
        var allowed = guard.AllowHttp || guard.AllowedNetworks.Count > 0 ? ", as this deployment's settings allow" : "";
        return $"{scheme}, {where}{allowed}. Redirects are not followed.";
    }
}
