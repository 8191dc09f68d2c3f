namespace Nexus.Web.Dashboard.Shared;

/// <summary>How the dashboard writes times: relative for recent events, dates for the rest, always UTC.</summary>
public static class TimeText
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        if (span < TimeSpan.FromMinutes(1)) return "just now";
        if (span < TimeSpan.FromHours(1)) return Plural((int)span.TotalMinutes, "minute") + " ago";
        if (span < TimeSpan.FromDays(1)) return Plural((int)span.TotalHours, "hour") + " ago";
        if (span < TimeSpan.FromDays(30)) return Plural((int)span.TotalDays, "day") + " ago";
        return Date(at);
    }

    /// <summary>How long until something happens, to the minute: "23 h 12 min", "3 d 4 h", "12 min".</summary>
    /// <remarks>Rounded to the nearest minute: a grace period of an hour, shown a moment after it was set, is "1 h", not "59 min".</remarks>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(30)) return "less than a minute";
        var minutes = (long)Math.Round(span.TotalMinutes);
        if (minutes < 60) return $"{minutes} min";
        if (minutes <= 24 * 60) return minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";
        var hours = (long)Math.Round(span.TotalHours);
        return hours % 24 == 0 ? $"{hours / 24} d" : $"{hours / 24} d {hours % 24} h";
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("MMM d, yyyy");

    /// <summary>For <c>title</c> tooltips and <c>&lt;time datetime&gt;</c>.</summary>
    public static string Full(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("O");

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
