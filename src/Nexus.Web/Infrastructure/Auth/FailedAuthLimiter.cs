using System.Net;
using System.Net.Sockets;
using Nexus.Shared.RateLimits;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// At most N failed API-key authentications per client IP and minute (N is
/// <c>Nexus:Auth:FailedAttemptsPerMinute</c>, default 10), so keys cannot be brute-forced. The
/// count is one more budget of <see cref="RateCounters"/> (bucket <c>auth:&lt;client&gt;:minute</c>),
/// shared by every web node; once an IP reaches the limit, the counters remember the full window
/// in memory until the minute ends, so the requests it refuses cost no query.
/// </summary>
/// <remarks>
/// Another node learns of a block at that IP's next failure there (the shared count answers it
/// with 429 and it remembers the block too). A guesser gains nothing from the gap: every wrong
/// guess is a failure, and only a correct guess could tell a 200 from a 429.
/// </remarks>
public sealed class FailedAuthLimiter(RateCounters counters, TimeProvider clock, IConfiguration config)
{
    public const string LimitSetting = "Nexus:Auth:FailedAttemptsPerMinute";
    public int Limit { get; } = config.GetValue(LimitSetting, 10) is var n and > 0
        ? n : throw new InvalidOperationException($"{LimitSetting} must be a positive number.");

    /// <summary>
    /// What failures are counted under: the IPv4 address, or the /64 network of an IPv6 address
    /// (one subscriber usually holds a whole /64, so counting single IPv6 addresses would not limit anyone).
    /// Null when the request has no client address (only the in-memory test server, never Kestrel): then nothing is counted.
    /// </summary>
    public static string? ClientOf(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPNetwork(Mask(address, 64), 64).ToString()
            : address.ToString();
    }

    /// <summary>True while <paramref name="client"/> is blocked (as far as this node knows); <paramref name="retryAfter"/> is the time left.</summary>
    public bool IsBlocked(string client, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        var limit = LimitFor(client);
        retryAfter = limit.WindowEnd(now) - now;
        return counters.IsFull(limit, now);
    }

    /// <summary>
    /// Counts one failure; true (with the time left) when it is over the limit and must be
    /// answered with 429. The failure that reaches the limit is still answered normally; from then
    /// on the window is full and <see cref="IsBlocked"/> refuses the IP.
    /// </summary>
    public async Task<(bool OverLimit, TimeSpan RetryAfter)> AddFailureAsync(string client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var limit = LimitFor(client);
        var decision = await counters.TakeAsync([limit], now, ct);
        return (!decision.Allowed, limit.WindowEnd(now) - now);
    }

    public RateLimit LimitFor(string client) =>
        (_limits ??= new(c => new("failed_auth", $"auth:{c}:minute", Limit, TimeSpan.FromMinutes(1)))).Get(client);

    private RateLimits.PerClientCache<RateLimit>? _limits;

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
