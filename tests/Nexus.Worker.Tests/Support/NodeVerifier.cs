using System.Diagnostics;
using System.Text.Json;

namespace Nexus.Worker.Tests.Support;

/// <summary>
/// Verifies received webhooks with an independent implementation of the Standard Webhooks scheme:
/// the <c>standardwebhooks</c> npm package (wwwroot-src/node_modules, installed by <c>make</c>'s
/// <c>npm ci</c>), run by node. Returns, per request, "ok" or the library's error message.
/// </summary>
public static class NodeVerifier
{
    private const string Script = """
        const { Webhook } = require('standardwebhooks');
        const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const results = input.map(({ secret, headers, body }) => {
          try {
            new Webhook(secret).verify(Buffer.from(body, 'base64').toString('utf8'), headers);
            return 'ok';
          } catch (e) {
            return String(e.message || e);
          }
        });
        process.stdout.write(JSON.stringify(results));
        """;

    public static async Task<IReadOnlyList<string>> VerifyAsync(IEnumerable<(string Secret, ReceivedRequest Request)> items)
    {
        var modules = NodeModules();
        var input = JsonSerializer.Serialize(items.Select(i => new
        {
            secret = i.Secret,
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = i.Request.Header("webhook-id"),
                ["webhook-timestamp"] = i.Request.Header("webhook-timestamp"),
                ["webhook-signature"] = i.Request.Header("webhook-signature"),
            },
            body = Convert.ToBase64String(i.Request.Body),
        }));
        var start = new ProcessStartInfo("node", ["-e", Script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = modules },
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0) throw new InvalidOperationException($"node failed ({node.ExitCode}): {error}");
        return JsonSerializer.Deserialize<string[]>(output)!;
    }

    /// <summary>wwwroot-src/node_modules of this repository, found upwards from the test binaries.</summary>
    private static string NodeModules()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var modules = Path.Combine(dir.FullName, "wwwroot-src", "node_modules");
            if (Directory.Exists(Path.Combine(modules, "standardwebhooks"))) return modules;
        }
        throw new InvalidOperationException("wwwroot-src/node_modules/standardwebhooks is missing: run `make assets` (npm ci in wwwroot-src).");
    }
}
