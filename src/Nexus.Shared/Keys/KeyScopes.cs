namespace Nexus.Shared.Keys;

/// <summary>One permission a key can hold.</summary>
public sealed record ScopeInfo(string Name, string Description);

/// <summary>
/// The scopes a key can hold, one read and (mostly) one write per resource, plus
/// <c>admin:all</c>. A write scope includes its read scope; <c>admin:all</c> includes every
/// scope and is the only one that may manage keys and read the audit log. Publishable keys
/// never hold more than read scopes, whatever they were given.
/// </summary>
public static class KeyScopes
{
    public const string ReadNotes = "read:notes";
    public const string WriteNotes = "write:notes";
    public const string ReadEvents = "read:events";
    public const string WriteEvents = "write:events";
    public const string ReadWebhooks = "read:webhooks";
    public const string WriteWebhooks = "write:webhooks";
    public const string ReadLogs = "read:logs";
    public const string ReadCustomers = "read:customers";
    public const string WriteCustomers = "write:customers";
    public const string AdminAll = "admin:all";

    public static readonly IReadOnlyList<ScopeInfo> All =
    [
        new(ReadNotes, "List and read notes."),
        new(WriteNotes, "Create, update and delete notes (includes read:notes)."),
        new(ReadEvents, "List and read events."),
        new(WriteEvents, "Create custom events (includes read:events)."),
        new(ReadWebhooks, "List webhook endpoints and deliveries."),
        new(WriteWebhooks, "Manage webhook endpoints, retry and replay deliveries (includes read:webhooks)."),
        new(ReadLogs, "Read request logs and usage."),
        new(ReadCustomers, "List and read customers."),
        new(WriteCustomers, "Create, update and delete customers (includes read:customers)."),
        new(AdminAll, "Everything, including managing API keys and reading the audit log."),
    ];

    private static readonly HashSet<string> Known = All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    public static bool IsKnown(string scope) => Known.Contains(scope);

    /// <summary>Said wherever a publishable key meets a scope it cannot hold. Not "read-only": reading the
    /// keys or the audit log takes <c>admin:all</c>, which publishable keys cannot hold either.</summary>
    public const string PublishableRule = "Publishable keys can hold only read scopes (read:…)";

    public static bool IsRead(string scope) => scope.StartsWith("read:", StringComparison.Ordinal);

    /// <summary>What a new key holds when its creator names no scopes: everything but key management
    /// for a secret key, every read scope for a publishable one.</summary>
    public static IReadOnlyList<string> DefaultFor(KeyKind kind) => kind == KeyKind.Publishable
        ? All.Select(s => s.Name).Where(IsRead).ToList()
        : All.Select(s => s.Name).Where(s => s != AdminAll).ToList();

    /// <summary>Everything the granted scopes allow once implications are applied.</summary>
    public static IReadOnlySet<string> Effective(IEnumerable<string> granted, KeyKind kind)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in granted)
        {
            if (scope == AdminAll) set.UnionWith(Known);
            else if (IsKnown(scope))
            {
                set.Add(scope);
                if (scope.StartsWith("write:", StringComparison.Ordinal)) set.Add("read:" + scope["write:".Length..]);
            }
        }
        if (kind == KeyKind.Publishable) set.RemoveWhere(s => !IsRead(s));
        return set;
    }

    public static bool Allows(IEnumerable<string> granted, KeyKind kind, string required) =>
        Effective(granted, kind).Contains(required);
}
