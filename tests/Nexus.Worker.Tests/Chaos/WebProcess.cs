using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// The real web app (Nexus.Web.dll as built, run by dotnet) on Kestrel at a free loopback port, for
/// tests where the database goes away under it: only a real process with its own connection pool
/// shows what a client sees then. Its output is kept for the failure message.
/// </summary>
public sealed partial class WebProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    private WebProcess(Process process) => _process = process;

    public static WebProcess Start(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var dll = BuiltDll("Nexus.Web");
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [dll, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Nexus"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;

        var web = new WebProcess(Process.Start(start)!);
        web._process.OutputDataReceived += (_, e) => web.Add(e.Data);
        web._process.ErrorDataReceived += (_, e) => web.Add(e.Data);
        web._process.BeginOutputReadLine();
        web._process.BeginErrorReadLine();
        _ = web._process.WaitForExitAsync().ContinueWith(_ =>
            web._listening.TrySetException(new InvalidOperationException($"The web app exited ({web._process.ExitCode}):\n{web.Output}")));
        return web;
    }

    /// <summary>The address Kestrel bound, once the app is ready to serve.</summary>
    public async Task<Uri> AddressAsync(TimeSpan timeout)
    {
        try { return await _listening.Task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"The web app did not start listening in {timeout}:\n{Output}"); }
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (Listening().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    /// <summary>A project's dll as built in its own output folder, in the configuration the tests were built in.</summary>
    public static string BuiltDll(string project)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testBin.Name, testBin.Parent!.Name);
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", project, "bin", configuration, framework, project + ".dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"{project}.dll ({configuration}/{framework}) was not found under src/{project}/bin; build the solution first.");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
