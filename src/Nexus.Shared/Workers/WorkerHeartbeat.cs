namespace Nexus.Shared.Workers;

/// <summary>Written by each worker process every few seconds so the dashboard can tell it is alive.</summary>
public sealed class WorkerHeartbeat
{
    /// <summary>host:pid of the worker process.</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public string Version { get; set; } = "";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a gone worker is still listed (Settings shows when it was last seen, which matters
    /// after a crash); each beat deletes the heartbeats older than this, so restarts do not pile up.
    /// </summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// What the dashboard calls a worker: every member of every organization can see the list, so it
    /// shows a digest of the host:pid instead (steady across refreshes); the worker logs which tag is it.
    /// </summary>
    public static string TagOf(string id) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..8];

    /// <summary>Three missed beats and a worker is considered gone.</summary>
    public bool IsAlive(DateTimeOffset now) => now - LastSeenAt < Interval * 3;
}
