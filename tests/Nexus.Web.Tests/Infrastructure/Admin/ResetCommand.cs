using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Nexus.Web.Infrastructure.Admin;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Admin;

/// <summary>The operator's <c>reset-password</c> command, run in-process against a test class's schema, with its output captured.</summary>
public static partial class ResetCommand
{
    public const string PublicUrl = "https://nexus.example.test";

    public sealed record Result(int ExitCode, string Out, string Error)
    {
        /// <summary>The token in the printed link (the link's path is <c>/reset-password/</c> and this).</summary>
        public string Token
        {
            get
            {
                var match = Link().Match(Out);
                Assert.True(match.Success, $"No reset link printed:\n{Out}\n{Error}");
                return match.Groups[1].Value;
            }
        }

        public string Path => "/reset-password/" + Token;
    }

    public static Task<Result> RunAsync<T>(NexusApp<T> app, TimeProvider clock, params string[] args) =>
        RunAsync(app, PublicUrl + "/", clock, args);

    public static async Task<Result> RunAsync<T>(NexusApp<T> app, string publicUrl, TimeProvider clock, params string[] args)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nexus"] = TestDatabase.ConnectionString,
            ["Nexus:Schema"] = app.Schema,
            ["Nexus:PublicUrl"] = publicUrl,
        }).Build();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await AdminCommands.RunAsync(["reset-password", .. args], config, clock, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex(@"https?://\S+/reset-password/(nxpwr_[A-Za-z0-9_-]{43})(?:\s|$)")]
    private static partial Regex Link();
}
