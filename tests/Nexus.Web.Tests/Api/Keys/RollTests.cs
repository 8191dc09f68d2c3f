using System.Net;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Api.Keys;

public sealed class RollTests(NexusApp<RollTests> app) : IClassFixture<NexusApp<RollTests>>
{
    [Fact]
    public async Task Without_a_body_the_old_key_gets_the_default_24_hour_grace()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, target) = await org.CreateKeyAsync(name: "Server", scopes: [KeyScopes.ReadNotes]);
        var before = DateTimeOffset.UtcNow;

        var rolled = await ApiAssert.OkAsync(await admin.PostAsync($"/api/v1/keys/{target.Id}/roll", null), HttpStatusCode.Created);

        var graceEnds = rolled.GetProperty("previous_key").GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.InRange(graceEnds, before.AddHours(24), DateTimeOffset.UtcNow.AddHours(24));
        var successor = await org.LoadKeyAsync(rolled.GetProperty("id").GetString()!);
        Assert.NotNull(successor);
        Assert.Equal(target.Id, successor.RolledFromKeyId);
        Assert.Equal("Server", successor.Name);
        Assert.Equal([KeyScopes.ReadNotes], successor.Scopes);
    }

    [Fact]
    public async Task An_empty_json_body_also_means_the_default_grace()
    {
        var org = await app.CreateOrgAsync(plan: Plan.Pro);
        var (admin, _, _) = await org.AdminAsync(app.CreateClient());
        var (_, target) = await org.CreateKeyAsync();

        var rolled = await ApiAssert.OkAsync(await admin.PostJsonAsync($"/api/v1/keys/{target.Id}/roll", "{}"), HttpStatusCode.Created);

        var graceEnds = rolled.GetProperty("previous_key").GetProperty("grace_ends_at").GetDateTimeOffset();
        Assert.InRange(graceEnds - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }
}
