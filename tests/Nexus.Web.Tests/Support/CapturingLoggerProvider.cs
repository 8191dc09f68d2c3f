using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Nexus.Web.Tests.Support;

/// <summary>Keeps every log entry it is given (level, category, message, state and exception), for tests that search what was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    /// <summary>
    /// Attaches the capture to a host whose framework logging is raised to Information, as an operator
    /// chasing a problem might raise it (<c>Logging:LogLevel:Microsoft.AspNetCore</c>): what the
    /// framework's own lines would then show, one-time links in request paths included.
    /// </summary>
    public void AttachWithFrameworkAtInformation(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
        builder.ConfigureLogging(l => l.AddProvider(this));
    }

    /// <summary>Whether the framework's Information lines reached the capture (so a search of them means something).</summary>
    public bool HasFrameworkInformation => Entries.Any(e => e.StartsWith("Information Microsoft.AspNetCore.", StringComparison.Ordinal));

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
    }
}
