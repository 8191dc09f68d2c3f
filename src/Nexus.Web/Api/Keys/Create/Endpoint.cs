using FastEndpoints;
using Marten;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Create;

public sealed class Endpoint(IQuerySession session, KeyManager keys, TimeProvider clock) : Endpoint<Request, KeyWithSecret>
{
    public override void Configure()
    {
        Post("/keys");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Create an API key";
            s.Description = "Creates a key in the caller's org and mode (a test key creates test keys). The response is the only time the "
                + "key's `secret` is shown: Nexus stores only a hash of it. An org may have 25 active keys.";
            s.ExampleRequest = new Request
            {
                Name = "Production server", Kind = "secret", Scopes = [KeyScopes.ReadNotes, KeyScopes.WriteNotes],
                AllowedIps = ["203.0.113.0/24"], RateLimitPerMinute = 5,
            };
            s.ResponseExamples[201] = new KeyWithSecret(KeyObject.Example, "nx_live_a1B2c3d4E5f6G7h8I9j0K1l2Xy9Z0a");
        });
        Description(b => b.WithTags(KeyApi.Tag).Produces<KeyWithSecret>(201)
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var caller = HttpContext.Caller();
        var org = await KeyApi.LoadOrgAsync(session, caller.OrgId, ct);
        var kind = req.Kind == "publishable" ? KeyKind.Publishable : KeyKind.Secret;
        var spec = new KeySpec(req.Name ?? "", kind, caller.Mode)
        {
            Scopes = req.Scopes ?? KeyScopes.DefaultFor(kind),
            AllowedIps = req.AllowedIps ?? [],
            ExpiresAt = req.ExpiresAt,
            RateLimitPerMinute = req.RateLimitPerMinute,
        };
        var result = await keys.CreateAsync(org, spec, HttpContext.Actor(), ct);
        var key = result.KeyOrThrow();

        // The body holds a secret: no cache (browser or proxy) may keep it.
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = key.Id },
            new KeyWithSecret(KeyObject.From(key, clock.GetUtcNow()), result.Plaintext!), verb: FastEndpoints.Http.GET, cancellation: ct);
    }
}
