namespace Nexus.Web.Infrastructure.RequestLogs;

public static class RequestLogSetup
{
    public static IServiceCollection AddNexusRequestLogs(this IServiceCollection services)
    {
        services.AddSingleton<RequestLogQueue>();
        services.AddSingleton<RequestLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogWriter>());
        return services;
    }

    /// <summary>Outside the error middleware, so the logged status is the one the caller got, 500s included.</summary>
    public static IApplicationBuilder UseNexusRequestLogs(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestLogMiddleware>();
}
