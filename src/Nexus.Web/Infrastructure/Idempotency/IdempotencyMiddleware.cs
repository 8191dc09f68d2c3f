using System.Security.Cryptography;
using Nexus.Shared.Common;
using Nexus.Shared.Idempotency;
using Nexus.Shared.Webhooks;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on API POSTs, as Stripe has it: the first request with a key runs and
/// its response (status below 500) is kept for 24 hours per org and mode; a retry with the same
/// key and the same method, path and body gets that response again with
/// <c>Idempotent-Replayed: true</c>; other parameters are 422; a retry while the first still runs
/// waits for it (up to <c>Nexus:Idempotency:WaitSeconds</c>, default 10) and then replays, or is 409.
/// Runs after authentication and rate limiting, so replays count against the limits like any call.
/// A kept response that reveals a key or signing secret (creating a key or an endpoint, rotating a
/// secret) is sealed with the app's secret key, as endpoint secrets are: a retry still gets its
/// secret, and none is at rest in plaintext for those 24 hours.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, KeyedGate gate, SecretBox box, TimeProvider clock, IConfiguration config)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Response headers a replay repeats; the rest (request id, rate-limit state) belong to the retry itself.</summary>
    private static readonly string[] KeptHeaders = ["Content-Type", "Location"];

    private readonly TimeSpan _wait = TimeSpan.FromSeconds(config.GetValue("Nexus:Idempotency:WaitSeconds", 10.0));

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method) || !ctx.Request.IsApi()
            || !ctx.Request.Headers.TryGetValue(Header, out var values) || !ctx.IsApiCaller())
        {
            await next(ctx);
            return;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > IdempotencyStore.MaxKeyLength || key.Any(c => c < 0x20 || c > 0x7e))
        {
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.IdempotencyKeyInvalid,
                $"The {Header} header must be 1–{IdempotencyStore.MaxKeyLength} printable ASCII characters, sent once.", Header);
            return;
        }

        // A body over the API's limit is refused by the endpoint anyway; it is not worth keeping.
        var fingerprint = await FingerprintAsync(ctx.Request, ctx.RequestAborted);
        if (fingerprint is null)
        {
            await next(ctx);
            return;
        }

        var caller = ctx.Caller();
        var (lead, timedOut) = await gate.EnterAsync($"{caller.OrgId}/{caller.Mode}/{key}", _wait, ctx.RequestAborted);
        using var _ = lead;
        var claim = timedOut
            ? new IdempotencyClaim.InProgress()
            : await store.ClaimAsync(caller.OrgId, caller.Mode, key, fingerprint, clock.GetUtcNow(), _wait, ctx.RequestAborted);
        switch (claim)
        {
            case IdempotencyClaim.Replay replay:
                await ReplayAsync(ctx, replay.Response, key);
                return;
            case IdempotencyClaim.Reused:
                await ApiErrors.WriteAsync(ctx, ErrorCatalog.IdempotencyKeyReused,
                    $"The {Header} '{key}' was used in the last 24 hours for a request with other parameters.", Header);
                return;
            case IdempotencyClaim.InProgress:
                await ApiErrors.WriteAsync(ctx, ErrorCatalog.IdempotencyRequestInProgress,
                    $"A request with the {Header} '{key}' is still running. Retry shortly with the same key.", Header);
                return;
            case IdempotencyClaim.Owned owned:
                await using (owned.Claim)
                    await RunAndKeepAsync(ctx, owned.Claim);
                return;
        }
    }

    private async Task RunAndKeepAsync(HttpContext ctx, IdempotencyStore.Claim claim)
    {
        var original = ctx.Response.Body;
        using var captured = new MemoryStream();
        ctx.Response.Body = captured;
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Response.Body = original;
        }

        // A 5xx is not kept (disposing the claim releases the key), so a retry can succeed later.
        if (ctx.Response.StatusCode < 500)
        {
            var headers = KeptHeaders.Where(h => ctx.Response.Headers.ContainsKey(h)).ToDictionary(h => h, h => ctx.Response.Headers[h].ToString());
            await claim.CompleteAsync(new StoredResponse(ctx.Response.StatusCode, headers, Seal(captured.ToArray())), CancellationToken.None);
        }
        await original.WriteAsync(captured.GetBuffer().AsMemory(0, (int)captured.Length), ctx.RequestAborted);
    }

    private async Task ReplayAsync(HttpContext ctx, StoredResponse response, string key)
    {
        byte[] body;
        try
        {
            body = Open(response.Body);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed under a secret key since removed from Nexus:PreviousSecretKeys: it cannot be replayed.
            await ApiErrors.WriteAsync(ctx, ErrorCatalog.IdempotencyKeyReused,
                $"The response kept for the {Header} '{key}' can no longer be read (it was sealed under a secret key that is no longer configured). Send the request with a new key.", Header);
            return;
        }
        ctx.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers) ctx.Response.Headers[name] = value;
        ctx.Response.Headers[ReplayedHeader] = "true";
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>A JSON body as it is, or sealed when it reveals a secret (sealed text never starts with "{").</summary>
    private byte[] Seal(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return SecretText.Holds(text) ? System.Text.Encoding.UTF8.GetBytes(box.Encrypt(text)) : body;
    }

    private byte[] Open(byte[] stored)
    {
        if (stored.Length == 0 || stored[0] == (byte)'{') return stored;
        var text = System.Text.Encoding.UTF8.GetString(stored);
        return SecretBox.IsSealed(text) ? System.Text.Encoding.UTF8.GetBytes(box.Decrypt(text)) : stored;
    }

    /// <summary>SHA-256 over method, path, query and body; null when the body is over the API's limit.</summary>
    private static async Task<byte[]?> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > WebSetup.MaxRequestBodyBytes) return null;
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > WebSetup.MaxRequestBodyBytes) break;
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return total > WebSetup.MaxRequestBodyBytes ? null : hash.GetHashAndReset();
    }
}
