using System.Net;
using Microsoft.AspNetCore.Hosting;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Health;

public sealed class HealthTests(NexusApp<HealthTests> app) : IClassFixture<NexusApp<HealthTests>>
{
    [Fact]
    public async Task Healthz_answers_200_without_a_key()
    {
        using var client = app.CreateClient();

        var body = await ApiAssert.OkAsync(await client.GetAsync("/healthz"));

        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_answers_200_when_the_database_is_up()
    {
        using var client = app.CreateClient();

        var body = await ApiAssert.OkAsync(await client.GetAsync("/readyz"));

        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("database").GetString());
    }

    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=nexus;Username=nexus;Timeout=2";

    [Fact]
    public async Task Readyz_answers_503_while_healthz_stays_200_when_the_database_is_unreachable()
    {
        // Nothing listens on port 1: the connection is refused at once.
        using var unreachable = app.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Nexus", Unreachable));
        using var client = unreachable.CreateClient();

        var ready = await ApiAssert.OkAsync(await client.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable);
        var healthy = await ApiAssert.OkAsync(await client.GetAsync("/healthz"));

        Assert.Equal("unavailable", ready.GetProperty("status").GetString());
        Assert.Equal("unreachable", ready.GetProperty("database").GetString());
        ApiAssert.NoStackTrace(ready.GetRawText());
        Assert.Equal("ok", healthy.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_api_call_with_the_database_unreachable_is_503_service_unavailable_not_a_500()
    {
        using var unreachable = app.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Nexus", Unreachable));
        using var client = unreachable.CreateClient().WithKey(KeyFormat.Generate(KeyKind.Secret, Mode.Test));

        var response = await client.GetAsync("/api/v2/notes");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
    }
}
