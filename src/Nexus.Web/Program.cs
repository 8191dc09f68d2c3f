using Nexus.Web.Infrastructure;
using Nexus.Web.Infrastructure.Admin;

if (AdminCommands.IsCommand(args)) return await AdminCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddNexusWeb();

var app = builder.Build();
app.UseNexusWeb();
app.Run();
return 0;

/// <summary>Entry point; public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
