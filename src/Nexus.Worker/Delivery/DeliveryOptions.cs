namespace Nexus.Worker.Delivery;

/// <summary>
/// How hard the worker pushes deliveries (<c>Nexus:Webhooks:Worker:*</c>). The lease must outlast
/// the whole attempt (timeout plus recording), or a second worker could send the same delivery
/// while the first is still waiting for its receiver.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Nexus:Webhooks:Worker";
    public const string DisableAfterDeadLettersKey = "Nexus:Webhooks:DisableAfterDeadLetters";

    /// <summary>
    /// Deliveries in flight at once in this worker. Receivers take tens to hundreds of milliseconds, so this
    /// bounds the rate more than the CPU does (128 at 200 ms each is 640/s); with a fast receiver, room for
    /// more also makes each claim and each batch of results bigger, and their cost per delivery smaller:
    /// at 128 (16 per endpoint) one worker drained about a quarter more per second than at 64 (8) in
    /// <c>bench/cpu-per-delivery.sh</c> (alternated runs), for a few hundred kilobytes of buffers.
    /// </summary>
    public int Concurrency { get; set; } = 128;

    /// <summary>Deliveries in flight at once to one endpoint, so a slow receiver holds up only its own, and no receiver gets more than this at once.</summary>
    public int ConcurrencyPerEndpoint { get; set; } = 16;

    /// <summary>Most deliveries taken by one claim query.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Total time for one attempt: connecting, sending, the response headers and reading the (capped) body.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>How long a claim holds a delivery; 0 means the timeout plus 45 s.</summary>
    public int LeaseSeconds { get; set; }

    /// <summary>How often due deliveries are looked for when no notification wakes the worker (retries, expired leases).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>On shutdown, how long attempts in flight may take to finish before they are cancelled and released.</summary>
    public int ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>Dead letters in a row after which an endpoint is disabled (<c>Nexus:Webhooks:DisableAfterDeadLetters</c>).</summary>
    public int DisableAfterDeadLetters { get; set; } = 5;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    public TimeSpan Lease => LeaseSeconds > 0 ? TimeSpan.FromSeconds(LeaseSeconds) : Timeout + TimeSpan.FromSeconds(45);

    /// <summary>Why these options cannot run, or null.</summary>
    public string? Problem() =>
        Concurrency < 1 || ConcurrencyPerEndpoint < 1 || BatchSize < 1 ? "Concurrency, ConcurrencyPerEndpoint and BatchSize must be at least 1."
        : TimeoutSeconds < 1 || ConnectTimeoutSeconds < 1 ? "TimeoutSeconds and ConnectTimeoutSeconds must be at least 1."
        : Lease <= Timeout ? $"The lease ({Lease.TotalSeconds} s) must be longer than the attempt timeout ({TimeoutSeconds} s)."
        : DisableAfterDeadLetters < 1 ? "DisableAfterDeadLetters must be at least 1."
        : null;
}
