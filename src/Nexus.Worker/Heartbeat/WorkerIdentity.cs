using System.Reflection;

namespace Nexus.Worker.Heartbeat;

/// <summary>Names this worker process in heartbeats and, later, in delivery leases.</summary>
public sealed class WorkerIdentity(TimeProvider clock)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();
    public string Version { get; } =
        typeof(WorkerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    private int _announced;

    /// <summary>True the first time only: the first recorded heartbeat says, in the log, which dashboard tag is this process.</summary>
    public bool FirstReport() => Interlocked.Exchange(ref _announced, 1) == 0;
}
