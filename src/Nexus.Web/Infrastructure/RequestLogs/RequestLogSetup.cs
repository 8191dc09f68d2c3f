namespace Nexus.Web.Infrastructure.RequestLogs;

public static class RequestLogSetup
{
    public static IServiceCollection AddNexusRequestLogs(this IServiceCollection services)
    {
        services.AddSingleton<RequestLogQueue>();
        services.AddSingleton<RequestLogWriter>();
        services.AddSingleton<RouteTemplates>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        return services;
    }

    /// <summary>After the rate limiter, which leaves the org's settings for it.</summary>
    public static IApplicationBuilder UseNexusDebugCapture(this IApplicationBuilder app) =>
        app.UseMiddleware<DebugCaptureMiddleware>();

    /// <summary>Outside the error middleware, so the logged status is the one the caller got, 500s included.</summary>
    public static IApplicationBuilder UseNexusRequestLogs(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestLogMiddleware>();
}
