using Microsoft.Extensions.Caching.Memory;

namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>
/// Counts failures for emails that have no account, so "too many attempts" appears for them
/// exactly as it would for a real one and the answer never tells whether an account exists.
/// Kept in memory and bounded: there is nothing to protect, only a behaviour to imitate, and an
/// attacker must not be able to fill the database with made-up addresses.
/// </summary>
public sealed class UnknownEmailLockout(TimeProvider clock) : IDisposable
{
    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public bool IsLocked(string email) =>
        _counts.TryGetValue(email, out Lockout state) && state.IsLocked(clock.GetUtcNow());

    /// <summary>Records a failure; true when the email is now locked.</summary>
    public bool Fail(string email)
    {
        var now = clock.GetUtcNow();
        lock (_counts)
        {
            var state = _counts.TryGetValue(email, out Lockout current) ? current.Fail(now) : new Lockout().Fail(now);
            _counts.Set(email, state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Lockout.Duration });
            return state.IsLocked(now);
        }
    }

    public void Dispose() => _counts.Dispose();
}
