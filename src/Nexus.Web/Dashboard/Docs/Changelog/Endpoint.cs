using FastEndpoints;
using Markdig;
using Microsoft.AspNetCore.Html;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Docs.Changelog;

/// <summary>The API changelog: CHANGELOG.md from the repository, rendered once per process.</summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    private static readonly Lazy<HtmlString> Html = new(() =>
    {
        using var stream = typeof(Endpoint).Assembly.GetManifestResourceStream("Nexus.CHANGELOG.md")
            ?? throw new InvalidOperationException("CHANGELOG.md is not embedded in Nexus.Web.");
        using var reader = new StreamReader(stream);
        // Our own file, but raw HTML in it is still not passed through.
        var pipeline = new MarkdownPipelineBuilder().UseAutoIdentifiers().DisableHtml().Build();
        return new HtmlString(Markdown.ToHtml(reader.ReadToEnd(), pipeline));
    });

    public override void Configure()
    {
        Get("/docs/changelog");
        Group<DashboardGroup>();
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.ResultAsync(RazorView.Page("~/Dashboard/Docs/Changelog/Changelog.cshtml", Html.Value));
}
