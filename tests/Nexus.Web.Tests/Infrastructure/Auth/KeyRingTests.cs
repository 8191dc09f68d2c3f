using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Infrastructure.Auth;

/// <summary>The keys behind session cookies and antiforgery tokens live in the database, so every web node shares them.</summary>
public sealed class KeyRingTests(NexusApp<KeyRingTests> app) : IClassFixture<NexusApp<KeyRingTests>>
{
    [Fact]
    public async Task What_one_node_protects_another_node_on_the_same_database_can_read()
    {
        var protectedByOne = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Protect("signed in");

        // A second host: its own services and key manager, the same configuration and schema.
        using var otherNode = app.WithWebHostBuilder(_ => { });
        var readByOther = otherNode.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Unprotect(protectedByOne);

        Assert.Equal("signed in", readByOther);
        await using var session = app.Store.QuerySession();
        var keys = await session.Query<DataProtectionKeyDocument>().ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith("<key id=", k.Xml));
    }
}
