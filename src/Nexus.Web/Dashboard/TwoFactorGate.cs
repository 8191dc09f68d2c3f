using FastEndpoints;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Nexus.Shared.Accounts;
using Nexus.Web.Dashboard.Account.Index;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard;

/// <summary>
/// While the org requires two-factor authentication, a member without it is sent to the Account page
/// from every dashboard route but the few that let them comply or leave, which carry <see cref="OpenWhileHeld"/>:
/// the Account page and its forms, logout, switching org and accepting an invitation to another org. It reads only the member
/// that <see cref="DashboardAuth"/> already loaded, so it costs no query.
/// </summary>
public sealed class TwoFactorGate : IGlobalPreProcessor
{
    public Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        if (http.ResponseStarted() || http.MemberOrNull() is not { } member || !TwoFactorRequirement.Blocks(member.Org, member.User))
            return Task.CompletedTask;
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<IAllowAnonymous>() is not null || metadata?.GetMetadata<OpenWhileHeld>() is not null) return Task.CompletedTask;

        // An htmx request cannot follow a 302 into a full page: ask htmx to navigate, as the login redirect does.
        if (http.Request.IsHtmx())
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            http.Response.Htmx(h => h.Redirect(AccountPage.Path));
        }
        else http.Response.Redirect(AccountPage.Path);
        // Stops FastEndpoints before the handler runs, as an answer written here would.
        http.MarkResponseStart();
        return Task.CompletedTask;
    }
}
