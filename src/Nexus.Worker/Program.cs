using Nexus.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddNexusWorker();
await builder.Build().RunAsync();
