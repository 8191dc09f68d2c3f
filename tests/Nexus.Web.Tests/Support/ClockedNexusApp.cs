using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Nexus.Web.Tests.Support;

/// <summary>
/// The app with a clock its tests move by hand (<see cref="Clock"/>): one host for the whole class
/// instead of one per test, each of which took half a second or more to start. The class's tests
/// share the clock and only move it forward, so each works from <c>Clock.GetUtcNow()</c>, never
/// from a fixed time.
/// </summary>
public class ClockedNexusApp<TTest> : NexusApp<TTest>
{
    public TestClock Clock { get; }

    public ClockedNexusApp() => Clock = new TestClock(DateTimeOffset.UtcNow);

    private ClockedNexusApp(ClockedNexusApp<TTest> first) : base(first) => Clock = first.Clock;

    /// <summary>Another web node on the same schema and the same clock.</summary>
    public ClockedNexusApp<TTest> Second() => new(this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}
