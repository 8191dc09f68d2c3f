using System.Reflection;

namespace Nexus.Worker.Heartbeat;

/// <summary>Names this worker process in heartbeats and, later, in delivery leases.</summary>
public sealed class WorkerIdentity(TimeProvider clock)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();
    public string Version { get; } =
        typeof(WorkerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
}
