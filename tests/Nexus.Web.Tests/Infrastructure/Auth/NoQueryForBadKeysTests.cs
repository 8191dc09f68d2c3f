using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Common;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.RequestLogs;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>
/// A mistyped or garbage key is refused before any database query. The counter is Npgsql's own
/// tracing: every command it runs is an activity of the "Npgsql" source, and this class's
/// commands are told apart from other classes' (running in parallel) by this class's schema
/// name in the SQL. A never-issued but well-formed key is the control: it must cost a lookup,
/// so the counter is shown to see the commands it would have to see.
/// </summary>
public sealed class NoQueryForBadKeysTests(NexusApp<NoQueryForBadKeysTests> app) : IClassFixture<NexusApp<NoQueryForBadKeysTests>>, IDisposable
{
    private readonly ConcurrentQueue<string> _commands = new();
    private ActivityListener? _listener;

    public static TheoryData<string, string> BadKeys()
    {
        var valid = KeyFormat.Generate(KeyKind.Secret, Mode.Test);
        return new()
        {
            { "bad checksum", valid[..^1] + (valid[^1] == 'a' ? 'b' : 'a') },
            { "one character mistyped", valid[..12] + (valid[12] == 'x' ? 'y' : 'x') + valid[13..] },
            { "truncated", valid[..^3] },
            { "garbage", "garbage" },
            { "wrong prefix", "sk_live_" + valid["nx_test_".Length..] },
            { "very long", "nx_live_" + new string('z', 10_000) },
        };
    }

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_mistyped_or_garbage_key_is_refused_without_any_database_command(string what, string key)
    {
        using var client = await ReadyClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);

        var response = await client.SendAsync(request);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_invalid");
        Assert.True(_commands.IsEmpty, $"{what}: {_commands.Count} database command(s): {string.Join(" | ", _commands)}");
    }

    [Fact]
    public async Task The_counter_sees_the_lookup_a_well_formed_unknown_key_costs()
    {
        using var client = await ReadyClientAsync();

        var response = await client.SendAsync(WithKey(KeyFormat.Generate(KeyKind.Secret, Mode.Test)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_invalid");
        Assert.Contains(_commands, c => c.Contains("mt_doc_apikey", StringComparison.Ordinal));
    }

    /// <summary>A client whose first request has already run (schema created, caches warm), with the counter started after it.</summary>
    private async Task<HttpClient> ReadyClientAsync()
    {
        var org = await app.CreateOrgAsync();
        var (key, _) = await org.CreateKeyAsync();
        var client = app.CreateClient();
        var warmUp = await client.SendAsync(WithKey(key));
        await ApiAssert.OkAsync(warmUp);
        // The warm-up request's own background writes (its request log, the key's usage stamp)
        // must land before counting starts: they are not the bad keys' doing.
        await WaitForRequestLogAsync(ApiAssert.RequestId(warmUp));
        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync(default);

        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = string.Join(" ", activity.TagObjects.Select(t => t.Value?.ToString())) + " " + activity.DisplayName;
                if (text.Contains(app.Schema, StringComparison.Ordinal)) _commands.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(_listener);
        return client;
    }

    private Task WaitForRequestLogAsync(string requestId) => app.LoggedRequestAsync(requestId);

    private static HttpRequestMessage WithKey(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/notes");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return request;
    }

    public void Dispose() => _listener?.Dispose();
}
