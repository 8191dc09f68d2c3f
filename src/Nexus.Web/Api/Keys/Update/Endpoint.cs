using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Update;

public sealed class Endpoint(IQuerySession session, KeyManager keys, ApiKeyCache cache, TimeProvider clock) : Endpoint<Request, KeyObject>
{
    public override void Configure()
    {
        Post("/keys/{id}");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Update an API key";
            s.Description = "Changes a key's name, scopes, IP allowlist or per-minute limit; fields left out (or null) keep their value. "
                + "`allowed_ips: []` allows any address again; `rate_limit_per_minute: 0` removes the key's own limit. "
                + "Takes effect at once on every web node. A revoked key cannot change (409 `key_not_active`).";
            s.ExampleRequest = new Request { Scopes = [KeyScopes.ReadNotes], AllowedIps = ["203.0.113.0/24", "2001:db8::/32"] };
            s.ResponseExamples[200] = KeyObject.Example;
        });
        Description(b => b.WithTags(KeyApi.Tag).Produces<KeyObject>()
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403)
            .Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        KeyApi.RequireWellFormed(req.Id);
        var caller = HttpContext.Caller();
        var org = await KeyApi.LoadOrgAsync(session, caller.OrgId, ct);
        var update = new KeyUpdate(req.Name, req.Scopes, req.AllowedIps,
            RateLimitPerMinute: req.RateLimitPerMinute is 0 ? null : req.RateLimitPerMinute,
            ClearRateLimit: req.RateLimitPerMinute is 0);
        var key = (await keys.UpdateAsync(org, caller.Mode, req.Id, update, HttpContext.Actor(), ct)).KeyOrThrow();
        // This node drops its cached copy at once (after the commit, or a concurrent request could cache the old one again).
        cache.Evict(key.KeyHash);
        await Send.OkAsync(KeyObject.From(key, clock.GetUtcNow()), ct);
    }
}
