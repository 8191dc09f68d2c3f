namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Lets browser code call the API from any origin, as publishable keys are meant to be used.
/// Safe because the API never relies on cookies: a key travels only in the Authorization header
/// the page itself sets, so another site gains nothing it did not already hold. The dashboard
/// (cookies) gets no CORS headers at all.
/// </summary>
public static class ApiCors
{
    public const string Policy = "api";

    public static IServiceCollection AddNexusApiCors(this IServiceCollection services) =>
        services.AddCors(o => o.AddPolicy(Policy, p => p
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Idempotency-Key")
            .WithExposedHeaders("X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

    /// <summary>Only for /api, and before routing so a preflight is answered without authentication.</summary>
    public static IApplicationBuilder UseNexusApiCors(this IApplicationBuilder app) =>
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), branch => branch.UseCors(Policy));
}
