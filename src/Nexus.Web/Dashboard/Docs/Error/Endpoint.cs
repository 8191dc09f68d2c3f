using FastEndpoints;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Error;

/// <summary>One error code's page: where every API error's <c>doc_url</c> leads.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/docs/errors/{code}");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        var code = Route<string>("code") ?? "";
        return ErrorCatalog.Find(code) is { } error
            ? Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Error/Error.cshtml", error))
            : Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Error/NotFound.cshtml", code, StatusCodes.Status404NotFound));
    }
}
