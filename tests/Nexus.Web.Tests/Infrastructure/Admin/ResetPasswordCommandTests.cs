using System.Diagnostics;
using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Web.Tests.Dashboard;
using Nexus.Web.Tests.Dashboard.Account;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Admin;

public sealed class ResetPasswordCommandTests(NexusApp<ResetPasswordCommandTests> app) : IClassFixture<NexusApp<ResetPasswordCommandTests>>
{
    [Fact]
    public async Task It_prints_a_link_once_and_stores_only_the_hash_of_its_token_for_one_hour()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();

        var result = await ResetCommand.RunAsync(app, TimeProvider.System, "  " + email.ToUpperInvariant() + " ");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains($"{ResetCommand.PublicUrl}/reset-password/{result.Token}", result.Out);
        Assert.Contains(email, result.Out);
        var user = await app.Store.UserAsync(email);
        await using var session = app.Store.QuerySession();
        var reset = await session.LoadAsync<PasswordReset>(user.Id);
        Assert.NotNull(reset);
        Assert.Equal(LinkTokens.Hash(result.Token), reset.TokenHash);
        Assert.Equal(TimeSpan.FromHours(1), reset.ExpiresAt - reset.CreatedAt);
        Assert.False(reset.DisableTwoFactor);
        Assert.Null(reset.UsedAt);
        Assert.DoesNotContain(result.Token["nxpwr_".Length..], (await session.Json.FindByIdAsync<PasswordReset>(user.Id))!);
    }

    [Fact]
    public async Task Issuing_a_link_is_audited_in_each_org_of_the_user_by_the_operator_without_the_token()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var org = await app.Store.OrgOfAsync(app.Services, email);

        var result = await ResetCommand.RunAsync(app, TimeProvider.System, email, "--disable-two-factor");

        var entries = await app.Store.AuditOfAsync(org.Org.Id, AuditActions.PasswordResetIssued);
        Assert.Equal(2, entries.Count); // one per mode, as for every account change
        foreach (var entry in entries)
        {
            Assert.Equal((AuditActor.SystemType, "command-line", "operator (command line)"), (entry.ActorType, entry.ActorId, entry.ActorLabel));
            Assert.Equal(email, entry.TargetLabel);
            Assert.Equal(["link_expires_at", "turns_two_factor_off"], entry.Changes.Select(c => c.Field));
        }
        await using var session = app.Store.QuerySession();
        foreach (var entry in entries)
            Assert.DoesNotContain(result.Token["nxpwr_".Length..], (await session.Json.FindByIdAsync<AuditEntry>(entry.Id))!);
    }

    [Fact]
    public async Task An_unknown_email_is_an_error_on_stderr_and_stores_nothing()
    {
        await DashboardClient.For(app).SignUpNewAsync(); // the schema exists
        var email = DashboardClient.NewEmail();
        var before = await ResetsStoredAsync();

        var result = await ResetCommand.RunAsync(app, TimeProvider.System, email);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains($"No user has the email {email}", result.Error);
        Assert.Equal(before, await ResetsStoredAsync());
    }

    [Fact]
    public async Task A_public_url_nobody_meant_is_an_error_naming_the_setting_and_stores_nothing()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var before = await ResetsStoredAsync();

        var result = await ResetCommand.RunAsync(app, "nexus.example.test", TimeProvider.System, email);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("Nexus:PublicUrl must be an absolute http or https URL", result.Error);
        Assert.Equal(before, await ResetsStoredAsync());
    }

    [Fact]
    public async Task Without_an_email_or_with_an_unknown_option_it_prints_its_usage_and_stores_nothing()
    {
        foreach (var args in new[] { Array.Empty<string>(), ["--disable-two-factor"], ["a@x.test", "b@x.test"], ["--two-factor=off"] })
        {
            var result = await ResetCommand.RunAsync(app, TimeProvider.System, args);
            Assert.Equal(2, result.ExitCode);
            Assert.Equal("", result.Out);
            Assert.StartsWith("Usage: dotnet Nexus.Web.dll reset-password <email> [--disable-two-factor]", result.Error);
        }
    }

    [Fact]
    public async Task The_built_dll_runs_the_command_without_starting_the_web_server()
    {
        var email = await DashboardClient.For(app).SignUpNewAsync();
        var dll = BuiltDll();
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [dll, "reset-password", email])
        {
            WorkingDirectory = Path.GetTempPath(), // appsettings are found beside the dll, not in the working directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Nexus"] = TestDatabase.ConnectionString;
        start.Environment["Nexus__Schema"] = app.Schema;
        start.Environment.Remove("Nexus__PublicUrl");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await stderr);
        var output = await stdout;
        Assert.DoesNotContain("Now listening", output);
        var token = System.Text.RegularExpressions.Regex.Match(output, @"^http://127\.0\.0\.1:5080/reset-password/(nxpwr_[A-Za-z0-9_-]{43})$",
            System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEqual("", token);
        var page = await DashboardClient.For(app).Http.GetAsync("/reset-password/" + token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private async Task<int> ResetsStoredAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<PasswordReset>().CountAsync();
    }

    /// <summary>Nexus.Web.dll as built in its own output folder (with its runtime config and appsettings).</summary>
    private static string BuiltDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testBin.Name, testBin.Parent!.Name);
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "Nexus.Web", "bin", configuration, framework, "Nexus.Web.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException("Nexus.Web.dll was not found under src/Nexus.Web/bin; build the solution first.");
    }
}
