using System.Globalization;
using FastEndpoints;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Keys.Create;

/// <summary>
/// The create-key form as posted. Field names are the API's parameter names, so a
/// <see cref="Refusal.Param"/> names the input its message belongs next to. Everything is
/// text: what does not parse is a message on the form, never a framework 400.
/// </summary>
public sealed class CreateForm
{
    public string? Name { get; set; }

    /// <summary><c>secret</c> or <c>publishable</c>.</summary>
    public string? Kind { get; set; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>One value per ticked checkbox.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>A date (<c>yyyy-MM-dd</c>); the key stops working at 00:00 UTC that day.</summary>
    [BindFrom("expires_at")]
    public string? ExpiresAt { get; set; }

    /// <summary>One CIDR range or address per line (commas and spaces also separate).</summary>
    [BindFrom("allowed_ips")]
    public string? AllowedIps { get; set; }

    [BindFrom("rate_limit_per_minute")]
    public string? RateLimitPerMinute { get; set; }

    /// <summary>The form shown again, with what was typed.</summary>
    public CreatePanel Echo(PlanLimits plan, FormErrors errors) => new(
        Name ?? "", Kind ?? "secret", Mode ?? "test", Scopes ?? [], ExpiresAt ?? "", AllowedIps ?? "", RateLimitPerMinute ?? "",
        plan.PerMinute, errors);

    /// <summary>
    /// Parses the fields and checks each against the shared rules (all at once, so every message
    /// shows in one round); null when something is wrong.
    /// </summary>
    public KeySpec? ToSpec(PlanLimits plan, DateTimeOffset now, FormErrors errors)
    {
        var kind = Kind switch { "secret" => KeyKind.Secret, "publishable" => KeyKind.Publishable, _ => (KeyKind?)null };
        if (kind is null) errors.Add("kind", "Choose a secret or a publishable key.");
        if (!ModeNames.TryParse(Mode, out var mode)) errors.Add("mode", "Choose test or live.");
        Add(errors, KeySpecRules.CheckName(Name));

        var scopes = (Scopes ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).ToList();
        if (kind is { } k) Add(errors, KeySpecRules.CheckScopes(scopes, k));

        DateTimeOffset? expires = null;
        if (!string.IsNullOrWhiteSpace(ExpiresAt))
        {
            if (DateOnly.TryParseExact(ExpiresAt.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                expires = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                Add(errors, KeySpecRules.CheckExpiry(expires, now));
            }
            else errors.Add("expires_at", "Enter a date like 2030-01-31.");
        }

        int? limit = null;
        if (!string.IsNullOrWhiteSpace(RateLimitPerMinute))
        {
            if (int.TryParse(RateLimitPerMinute.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                limit = n;
                Add(errors, KeySpecRules.CheckRateLimit(limit, plan));
            }
            else errors.Add("rate_limit_per_minute", $"Enter a whole number of requests per minute, at most {plan.PerMinute}.");
        }

        var ips = (AllowedIps ?? "").Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Add(errors, KeySpecRules.CheckAllowedIps(ips, out _));

        if (errors.Any || kind is null) return null;
        return new KeySpec((Name ?? "").Trim(), kind.Value, mode)
        {
            Scopes = scopes,
            AllowedIps = ips,
            ExpiresAt = expires,
            RateLimitPerMinute = limit,
        };
    }

    private static void Add(FormErrors errors, Refusal? problem)
    {
        if (problem is not null) errors.Add(problem.Param ?? CreatePanel.FormField, problem.Message);
    }
}

/// <summary>
/// The create-key form: typed values and messages after a failed submit. The new key itself is
/// shown by <see cref="Reveal.NewKey"/>, the only place its plaintext ever appears.
/// </summary>
public sealed record CreatePanel(string Name, string Kind, string Mode, IReadOnlyList<string> Scopes,
    string ExpiresAt, string AllowedIps, string RateLimitPerMinute, int PlanPerMinute, FormErrors Errors)
{
    public const string View = "~/Dashboard/Keys/Create/_CreatePanel.cshtml";

    /// <summary>Where a message that belongs to no single field (e.g. the key limit) goes.</summary>
    public const string FormField = "form";

    public bool Publishable => Kind == "publishable";

    public static CreatePanel Empty(PlanLimits plan, Nexus.Shared.Common.Mode mode) => new("", "secret", mode.ToWire(), KeyScopes.DefaultFor(KeyKind.Secret),
        "", "", "", plan.PerMinute, new FormErrors());
}
