using Nexus.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddNexusWeb();

var app = builder.Build();
app.UseNexusWeb();
app.Run();

/// <summary>Entry point; public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
