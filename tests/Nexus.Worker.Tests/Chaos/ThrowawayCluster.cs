using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// A PostgreSQL cluster of the test's own, run by scripts/db.sh (NEXUS_PG_DATA, NEXUS_PG_PORT) in a
/// temporary directory on a port of this suite's range, so the test may stop and start it under load
/// while every other test keeps the shared cluster. A class fixture: initdb costs seconds, so the
/// tests of a class share one cluster (each in a schema of its own).
/// </summary>
public sealed class ThrowawayCluster : IAsyncLifetime
{
    private const int FirstPort = 56500, LastPort = 56599;
    private readonly string _script;
    private readonly DirectoryInfo _dataRoot;
    private readonly int _port;

    /// <summary>The Npgsql connection string scripts/db.sh prints for the cluster's nexus database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The running server's process id (the first line of its postmaster.pid).</summary>
    public int ServerProcessId => int.Parse(File.ReadLines(Path.Combine(_dataRoot.FullName, "pg", "postmaster.pid")).First());

    public ThrowawayCluster() => (_script, _dataRoot, _port) = (Script(), Directory.CreateTempSubdirectory("nexus-chaos-"), FreePort());

    /// <summary>Creates (initdb) and starts the cluster in its new directory under the temp folder.</summary>
    public async Task InitializeAsync() => ConnectionString = await RunAsync("ensure");

    /// <summary>Fast shutdown (every session is cut off), then start again on the same data and port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Fast shutdown: every session is cut off, and connecting is refused until <see cref="StartAsync"/>.</summary>
    public Task StopAsync() => RunAsync("stop");

    /// <summary>Starts the stopped cluster again, on the same data and port.</summary>
    public async Task StartAsync() => ConnectionString = await RunAsync("ensure");

    private async Task<string> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [_script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // With NEXUS_DATABASE set (the shared test database), db.sh would print it and touch nothing.
        start.Environment.Remove("NEXUS_DATABASE");
        start.Environment["NEXUS_PG_DATA"] = _dataRoot.FullName;
        start.Environment["NEXUS_PG_PORT"] = _port.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/db.sh {command} failed ({process.ExitCode}):\n{await stderr}");
        return (await stdout).Trim();
    }

    // Ports handed to a cluster of this process: two classes' fixtures are made side by side, and
    // a port is free to a probe until the first cluster's server starts listening on it.
    private static readonly HashSet<int> Taken = [];

    /// <summary>The first port of the range nothing listens on (another run of this test may hold one) and no other cluster of this run was given.</summary>
    private static int FreePort()
    {
        lock (Taken)
        {
            for (var port = FirstPort; port <= LastPort; port++)
            {
                if (Taken.Contains(port)) continue;
                try
                {
                    using var probe = new TcpListener(IPAddress.Loopback, port);
                    probe.Start();
                }
                catch (SocketException) { continue; }
                Taken.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free port in {FirstPort}-{LastPort}.");
    }

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "scripts", "db.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException("scripts/db.sh was not found above the test's folder.");
    }

    public async Task DisposeAsync()
    {
        try { await RunAsync("stop"); }
        finally { _dataRoot.Delete(recursive: true); }
    }
}
