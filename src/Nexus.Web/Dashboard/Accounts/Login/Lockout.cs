namespace Nexus.Web.Dashboard.Accounts.Login;

/// <summary>Failed-login counting: five failures in a row lock an email out for fifteen minutes.</summary>
public readonly record struct Lockout(int Failures, DateTimeOffset? LockedUntil)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(15);

    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;

    /// <summary>One more failure; a lock that has run out starts a fresh count.</summary>
    public Lockout Fail(DateTimeOffset now)
    {
        var failures = (LockedUntil is not null && !IsLocked(now) ? 0 : Failures) + 1;
        return new Lockout(failures, failures >= MaxFailures ? now + Duration : null);
    }
}
