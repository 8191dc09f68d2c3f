using Marten;
using Nexus.Shared.Store;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Admin;

/// <summary>
/// Operator commands run on the server as <c>dotnet Nexus.Web.dll &lt;command&gt; …</c>: they use the
/// configured database and exit, without starting the web server. Nexus sends no email, so these are
/// how an operator helps someone who is locked out.
/// </summary>
public static class AdminCommands
{
    /// <summary>What <c>make run</c> serves; links printed by a command start with it unless <see cref="PublicUrl.Setting"/> says otherwise.</summary>
    public const string DefaultPublicUrl = "http://127.0.0.1:5080";

    public static bool IsCommand(string[] args) => args is [ResetPasswordCommand.Name, ..];

    /// <summary>For Program.cs: the settings the web app would read (appsettings*.json beside the dll, then the environment), and the console.</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, ReadConfiguration(), TimeProvider.System, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, IConfiguration config, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        var connectionString = config.GetConnectionString("Nexus");
        if (string.IsNullOrEmpty(connectionString))
        {
            await stderr.WriteLineAsync("Set ConnectionStrings:Nexus (env ConnectionStrings__Nexus); `make reset-password` does this for you.");
            return 2;
        }
        string publicUrl;
        try
        {
            publicUrl = PublicUrl.From(config)?.Origin ?? DefaultPublicUrl;
        }
        catch (InvalidOperationException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
        var services = new ServiceCollection();
        // No log provider: the command's output is what it prints, and nothing it handles reaches a log.
        services.AddLogging();
        services.AddNexusStore(connectionString, config["Nexus:Schema"] ?? NexusStore.DefaultSchema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IDocumentStore>();
        return await ResetPasswordCommand.RunAsync(args[1..], store, publicUrl, clock, stdout, stderr);
    }

    private static IConfiguration ReadConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production;
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }
}
