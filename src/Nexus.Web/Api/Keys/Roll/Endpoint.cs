using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Api.Keys.Roll;

public sealed class Endpoint(KeyManager keys, ApiKeyCache cache, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/keys/{id}/roll");
        Scopes(KeyScopes.AdminAll);
        Group<ApiV1Group>();
        Summary(s =>
        {
            s.Summary = "Roll an API key";
            s.Description = "Issues a new key with the same name, kind, scopes, allowlist, limit and expiry, and returns its `secret` (shown only here). "
                + "The old key keeps working for the grace period, then stops. A revoked, expired or already rolled key cannot be rolled "
                + "(409 `key_not_active`). The body is optional.";
            s.ExampleRequest = new Request { GracePeriodMinutes = 1440 };
            s.ResponseExamples[201] = Example;
        });
        // The body is optional: a bodiless POST (no Content-Type) rolls with the default grace.
        PreProcessor<OptionalJsonBody<Request>>();
        Description(b => OptionalJsonBody<Request>.Document(b.WithTags(KeyApi.Tag).ClearDefaultAccepts()).Produces<Response>(201)
            .Produces<ApiErrorResponse>(400).Produces<ApiErrorResponse>(401).Produces<ApiErrorResponse>(403)
            .Produces<ApiErrorResponse>(404).Produces<ApiErrorResponse>(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        KeyApi.RequireWellFormed(req.Id);
        var caller = HttpContext.Caller();
        var grace = req.GracePeriodMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : KeyRules.DefaultRollGrace;
        var result = await keys.RollAsync(caller.OrgId, caller.Mode, req.Id, grace, HttpContext.Actor(), ct);
        var successor = result.KeyOrThrow();
        var previous = result.Previous!;
        // The old key now ends with its grace: this node must not keep serving its cached, endless copy.
        cache.Evict(previous.KeyHash);

        var now = clock.GetUtcNow();
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = successor.Id },
            new Response(KeyObject.From(successor, now), result.Plaintext!, KeyObject.From(previous, now)), verb: FastEndpoints.Http.GET, cancellation: ct);
    }

    private static readonly Response Example = new(
        KeyObject.MakeExample("key_01jd9p2c4r6t8v0x2z4b6d8f0h", "nx_live_Q7r8S9", rolledFrom: KeyObject.Example.Id),
        "nx_live_Q7r8S9t0U1v2W3x4Y5z6A7b8Cd4Ef5",
        KeyObject.MakeExample(KeyObject.Example.Id, KeyObject.Example.Prefix, "expiring",
            DateTimeOffset.Parse("2026-11-24T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), rolledTo: "key_01jd9p2c4r6t8v0x2z4b6d8f0h"));
}
