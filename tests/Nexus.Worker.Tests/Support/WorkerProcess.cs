using System.Diagnostics;
using System.Runtime.InteropServices;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;

namespace Nexus.Worker.Tests.Support;

/// <summary>
/// The real Nexus.Worker process (the Nexus.Worker.dll built beside the tests, run by dotnet) on a
/// test schema, for what only a process shows: SIGKILL in the middle of a delivery, SIGTERM.
/// Its output is kept for the failure message.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(string connectionString, string schema, IReadOnlyDictionary<string, string> settings)
    {
        var dll = WorkerDll();
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Nexus"] = connectionString;
        start.Environment["Nexus__Schema"] = schema;
        start.Environment["Nexus__SecretKey"] = DeliveryWorld<WorkerProcess>.SecretKey;
        start.Environment["Nexus__Webhooks__AllowHttp"] = "true";
        start.Environment["Nexus__Webhooks__AllowedPrivateNetworks"] = "127.0.0.0/8";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;

        var worker = new WorkerProcess(Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) => worker.Add(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Add(e.Data);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>
    /// The worker as built in its own output folder (with its own dependencies; the copy beside the
    /// tests resolves them from the test's shared frameworks), in the configuration the tests were built in.
    /// </summary>
    private static string WorkerDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testBin.Name, testBin.Parent!.Name);
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "Nexus.Worker", "bin", configuration, framework, "Nexus.Worker.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"Nexus.Worker.dll ({configuration}/{framework}) was not found under src/Nexus.Worker/bin; build the solution first.");
    }

    /// <summary>Completes when the process exits (for waits that should stop early when it dies).</summary>
    public Task Exited => _process.WaitForExitAsync();

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Delivery settings for a process that must be quick to show its behaviour.</summary>
    public static Dictionary<string, string> QuickSettings(int timeoutSeconds, int leaseSeconds, int graceSeconds) => new()
    {
        [$"{DeliveryOptions.Section}:TimeoutSeconds"] = timeoutSeconds.ToString(),
        [$"{DeliveryOptions.Section}:LeaseSeconds"] = leaseSeconds.ToString(),
        [$"{DeliveryOptions.Section}:PollSeconds"] = "0.5",
        [$"{DeliveryOptions.Section}:ShutdownGraceSeconds"] = graceSeconds.ToString(),
        [SsrfGuard.AllowedNetworksKey] = "127.0.0.0/8",
    };
}
