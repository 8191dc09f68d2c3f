extern alias worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Nexus.Web.Tests.Support;
using WorkerSetup = worker::Nexus.Worker.WorkerSetup;

namespace Nexus.Web.Tests.Dashboard.Webhooks;

/// <summary>
/// The real Nexus.Worker (its <c>AddNexusWorker()</c>, Quartz and all) in this process, on the same
/// database schema and webhook settings as the web app under test, so what the dashboard queues is
/// really delivered.
/// </summary>
public static class InProcessWorker
{
    public static async Task<IHost> StartAsync<T>(NexusApp<T> app)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nexus"] = TestDatabase.ConnectionString,
            ["Nexus:Schema"] = app.Schema,
            ["Nexus:SecretKey"] = NexusApp<T>.WebhookSecretKey,
            ["Nexus:Webhooks:AllowHttp"] = "true",
            ["Nexus:Webhooks:AllowedPrivateNetworks"] = "127.0.0.0/8",
        });
        WorkerSetup.AddNexusWorker(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
