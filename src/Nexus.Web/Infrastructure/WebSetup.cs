using FastEndpoints;
using Htmx.TagHelpers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Shared.Keys;
using Nexus.Shared.Store;
using Nexus.Web.Dashboard;
using Nexus.Web.Dashboard.StatusPages;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Bench;
using Nexus.Web.Infrastructure.Docs;
using Nexus.Web.Infrastructure.Errors;
using Nexus.Web.Infrastructure.Health;
using Nexus.Web.Infrastructure.Http;
using Nexus.Web.Infrastructure.RateLimits;
using Nexus.Web.Infrastructure.RequestLogs;

using Nexus.Shared.Webhooks;

namespace Nexus.Web.Infrastructure;

public static class WebSetup
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The longest path and query string the API takes (Kestrel's default request line).</summary>
    public const int MaxUrlChars = 8 * 1024;

    public static WebApplicationBuilder AddNexusWeb(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;

        var connectionString = config.GetConnectionString("Nexus")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Nexus (env ConnectionStrings__Nexus); `make run` does this for you.");
        services.AddNexusStore(connectionString, config["Nexus:Schema"] ?? NexusStore.DefaultSchema);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(PlanCatalog.FromSettings(name => config.GetValue<int?>(name)));
        services.AddSingleton(new KeyHasher(config["Nexus:KeyPepper"]
            ?? throw new InvalidOperationException("Set Nexus:KeyPepper (env Nexus__KeyPepper) to a long random secret.")));
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<OrgCache>();
        services.AddSingleton<Nexus.Shared.RateLimits.RateCounters>();
        services.AddHostedService<UnusedBudgetReturn>();
        services.AddHostedService<KeyChangeListener>();
        services.AddScoped<KeyManager>();
        services.AddNexusWebhooks(config);
        services.AddScoped<EndpointManager>();
        services.AddScoped<DeliveryActions>();
        services.AddSingleton<Nexus.Shared.Idempotency.IdempotencyStore>();
        services.AddSingleton<Nexus.Web.Infrastructure.Idempotency.KeyedGate>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddSingleton<FailedAuthLimiter>();
        services.AddSingleton<ApiRateLimits>();
        services.AddTrustedProxies(config);
        if (PublicUrl.From(config) is { } publicUrl) services.AddSingleton(publicUrl);
        services.AddHostedService(sp => sp.GetRequiredService<KeyUsageRecorder>());

        services.AddNexusKeyRing();
        services.AddAuthentication(DashboardAuth.Scheme)
            .AddDashboardCookie()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "nexus_csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddNexusRequestLogs();
        services.AddNexusApiCors();
        services.AddControllersWithViews();
        services.AddNexusDashboard();
        services.AddFastEndpoints(o =>
        {
            o.IncludeAbstractValidators = true;
            o.Filter = BenchRoutes.DiscoveryFilter(config);
        });
        services.ConfigureHttpJsonOptions(o => NexusJson.ApplyForDocuments(o.SerializerOptions));
        services.AddNexusApiDocs();
        builder.AddNexusBench();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Past its limit Kestrel answers 414 itself, with an empty body; up to 64 KB the request
            // reaches ApiErrorMiddleware, which holds MaxUrlChars and answers with the error object.
            k.Limits.MaxRequestLineSize = 64 * 1024;
        });
        return builder;
    }

    public static WebApplication UseNexusWeb(this WebApplication app)
    {
        // First, so everything after it (allowlists, failure limits, audit entries) sees the real client address.
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseNexusRequestLogs();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<HostHeaderGuard>();
        app.UseNexusApiCors();
        app.UseNexusStatusPages();
        app.UseMiddleware<NulCharacterGuard>();
        // API paths never name a file: spare them the file-system probe.
        app.UseWhen(ctx => !ctx.Request.IsApi(), branch => branch.UseStaticFiles());
        app.UseRouting();
        // After routing (a mode-free endpoint keeps the remembered mode) and before the endpoints bind
        // their query strings: dashboard URLs without ?mode= get the remembered mode.
        app.UseWhen(ctx => !ctx.Request.IsApi() && !ctx.Request.Path.StartsWithSegments("/docs"),
            branch => branch.UseMiddleware<Nexus.Web.Dashboard.Shared.DashboardMode.Middleware>());
        app.UseMiddleware<Nexus.Web.Infrastructure.Versioning.DeprecationMiddleware>();
        // The dashboard's cookie is the default scheme, and the authentication middleware ran it on every
        // request, /api too, where it never counts (an API route's policy runs the API-key scheme, and a
        // cookie sent along is never taken for an API caller): about 6 µs of CPU per API request for
        // nothing (perf, bench/HISTORY.md 2026-11-25 11:10). API requests skip it.
        app.UseWhen(ctx => !ctx.Request.IsApi(), branch => branch.UseAuthentication());
        app.UseAuthorization();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseNexusDebugCapture();
        app.UseMiddleware<Nexus.Web.Infrastructure.Idempotency.IdempotencyMiddleware>();
        app.UseMiddleware<BodyDeclarationMiddleware>();
        app.UseFastEndpoints(c =>
        {
            NexusJson.Apply(c.Serializer.Options);
            // Responses nest what a request stored a few levels deeper (an event's data inside a list
            // page), so they may go deeper than the 32 levels a request body may (ValidationErrors reads
            // bodies with NexusJson.Options); at 32, a list holding an event 30 levels deep failed.
            c.Serializer.Options.MaxDepth = 2 * NexusJson.Options.MaxDepth;
            c.Serializer.RequestDeserializer = ValidationErrors.DeserializeRequest;
            c.Binding.FailureMessage = Nexus.Web.Api.ApiQuery.BindingFailureMessage;
            c.Errors.ResponseBuilder = ValidationErrors.Build;
            c.Security.ScopeParser = ApiCallerIdentity.ParseScopes;
            // FastEndpoints defaults to application/problem+json; the error object is plain JSON.
            c.Errors.ContentType = "application/json";
            c.Errors.ProducesMetadataType = typeof(ApiErrorResponse);
            // HEAD is GET without the body (RFC 9110 §9.3.2): uptime monitors and link checkers use it.
            // Kestrel drops the body a HEAD response writes; the OpenAPI documents leave HEAD out.
            // Such endpoints then have two verbs, so a Location header names its GET (CreatedAtAsync's verb).
            c.Endpoints.Configurator = ep =>
            {
                if (ep.Verbs.Contains(HttpMethods.Get)) ep.AdditionalVerbs(HttpMethods.Head);
            };
        });
        app.MapHtmxAntiforgeryScript();
        app.MapNexusApiDocs();
        app.MapNexusHealth();
        return app;
    }
}
