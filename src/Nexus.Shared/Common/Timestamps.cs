using System.Globalization;

namespace Nexus.Shared.Common;

/// <summary>
/// How a time goes on the wire, in every API response, webhook payload and error message: RFC 3339
/// in UTC with milliseconds and a <c>Z</c>, e.g. <c>2026-11-23T21:19:55.791Z</c> (what JavaScript's
/// <c>Date.toISOString()</c> writes). Storage keeps full precision; only what is shown is cut.
/// </summary>
/// <remarks>
/// Truncated, never rounded: a shown time is never later than the stored one, so passing it back as
/// <c>created_gte</c> still includes the object and as <c>created_lt</c> still excludes it.
/// </remarks>
public static class Timestamps
{
    /// <summary>The length of every formatted time, in characters (and UTF-8 bytes).</summary>
    public const int Length = 24;

    private const string Pattern = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    public static string Format(DateTimeOffset at) => Wire(at.UtcDateTime).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Format(DateTimeOffset)"/>
    public static string? Format(DateTimeOffset? at) => at is { } value ? Format(value) : null;

    /// <summary>A <see cref="DateTime"/> of unspecified kind is taken as UTC (as stored times are); a local one is converted.</summary>
    public static string Format(DateTime at) => Wire(at).ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Writes the time as UTF-8 into <paramref name="utf8"/> (<see cref="Length"/> bytes), for JSON writers.</summary>
    public static bool TryFormat(DateTime at, Span<byte> utf8, out int written) =>
        Wire(at).TryFormat(utf8, out written, Pattern, CultureInfo.InvariantCulture);

    /// <summary>UTC, cut down to the millisecond.</summary>
    private static DateTime Wire(DateTime at)
    {
        var utc = at.Kind switch
        {
            DateTimeKind.Local => at.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(at, DateTimeKind.Utc),
            _ => at,
        };
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
