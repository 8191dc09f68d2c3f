using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using Nexus.Shared.Webhooks;

namespace Nexus.Worker.Delivery;

/// <summary>One signed POST to make: the event's exact bytes, its id, and the secrets that sign it.</summary>
public sealed record OutgoingWebhook(string Url, string WebhookId, byte[] Body, IReadOnlyList<string> Secrets, string RequestId);

/// <summary>What came back (or did not); <see cref="RetryAfter"/> is the receiver's wish for the next attempt.</summary>
public sealed record SendResult(DeliveryAttempt Attempt, TimeSpan? RetryAfter);

/// <summary>
/// Sends webhooks through one hardened HttpClient. Webhook URLs are attacker-chosen, so the client
/// dials only addresses the <see cref="SsrfGuard"/> permits (checked on the address actually
/// connected), never follows redirects, uses no proxy or cookies, never decompresses, and spends at
/// most the timeout on the whole exchange, reading at most <see cref="DeliveryAttempt.MaxStoredBodyBytes"/>
/// of the answer: a receiver that stalls, trickles or sends gigabytes costs one bounded attempt.
/// The timeout runs on the real clock (it measures the network), the attempt's time on the injected one.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string SignatureHeader = "webhook-signature";
    public static readonly string UserAgent = "Nexus-Webhooks/" + Version();

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;

    public WebhookSender(SsrfGuard guard, DeliveryOptions options, TimeProvider clock)
    {
        _timeout = options.Timeout;
        _clock = clock;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = guard.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 64, // KB
            // A response is never read past the stored cap; its connection is closed rather than
            // drained for reuse, so a receiver that sends gigabytes gets nowhere.
            MaxResponseDrainSize = 0,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<SendResult> SendAsync(OutgoingWebhook message, string attemptId, CancellationToken stopping)
    {
        var attempt = new DeliveryAttempt { Id = attemptId, At = _clock.GetUtcNow() };
        var timestamp = attempt.At.ToUnixTimeSeconds();
        var signature = WebhookSigner.SignatureHeader(message.Secrets, message.WebhookId, timestamp, message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url) { Content = new ByteArrayContent(message.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", message.WebhookId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString());
        request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        request.Headers.TryAddWithoutValidation("X-Nexus-Signature", signature);
        request.Headers.TryAddWithoutValidation("X-Request-Id", message.RequestId);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_timeout);
        var watch = Stopwatch.StartNew();
        TimeSpan? retryAfter = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            attempt.StatusCode = (int)response.StatusCode;
            attempt.ResponseHeaders = ResponseCapture.Headers(response);
            retryAfter = RetryAfter(response.Headers.RetryAfter, attempt.At);
            await ResponseCapture.ReadBodyAsync(response, attempt, timeout.Token, stopping);
            var code = attempt.StatusCode.Value;
            attempt.Succeeded = code is >= 200 and < 300;
            if (!attempt.Succeeded)
            {
                attempt.ErrorCode = code is >= 300 and < 400 ? DeliveryErrors.Redirect : DeliveryErrors.HttpStatus;
                var answer = code is >= 300 and < 400
                    ? $"The endpoint answered {code} (a redirect); webhooks do not follow redirects."
                    : $"The endpoint answered {code}.";
                attempt.Error = attempt.Error is { } bodyNote ? answer + " " + bodyNote : answer;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { throw; }
        catch (OperationCanceledException)
        {
            Fail(attempt, DeliveryErrors.Timeout, $"No answer within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e) when (ResponseCapture.Find<BlockedAddressException>(e) is { } blocked)
        {
            Fail(attempt, DeliveryErrors.BlockedAddress, blocked.Message);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Fail(attempt, DeliveryErrors.ConnectionFailed, ResponseCapture.Describe(e));
        }
        attempt.DurationMs = (int)watch.ElapsedMilliseconds;
        return new(attempt, retryAfter);
    }

    /// <summary>The receiver's <c>Retry-After</c>, in seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) =>
        header?.Delta is { } delta ? delta
        : header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero)
        : null;

    private static void Fail(DeliveryAttempt attempt, string code, string message)
    {
        attempt.Succeeded = false;
        attempt.ErrorCode = code;
        attempt.Error = message;
        attempt.StatusCode = null;
        attempt.ResponseBody = null;
        attempt.ResponseBodyTruncated = false;
        attempt.ResponseHeaders = [];
    }

    private static string Version()
    {
        var version = typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        return version.Split('+')[0];
    }

    public void Dispose() => _http.Dispose();
}
