using FastEndpoints;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Api;

/// <summary>Routes under /api/v1: API-key authentication, in the "v1" OpenAPI document.</summary>
public sealed class ApiV1Group : Group
{
    public ApiV1Group() => Configure("api/v1", ep =>
    {
        ep.AuthSchemes(ApiKeyAuthentication.SchemeName);
        ep.PreProcessor<RejectUnknownQuery>(Order.Before);
        ep.Description(b => b.WithGroupName("v1"));
    });
}

/// <summary>Routes under /api/v2: API-key authentication, in the "v2" OpenAPI document.</summary>
public sealed class ApiV2Group : Group
{
    public ApiV2Group() => Configure("api/v2", ep =>
    {
        ep.AuthSchemes(ApiKeyAuthentication.SchemeName);
        ep.PreProcessor<RejectUnknownQuery>(Order.Before);
        ep.Description(b => b.WithGroupName("v2"));
    });
}
