using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;
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
        Assert.All(keys, k =>
        {
            Assert.StartsWith("<key id=", k.Xml);
            // The key's secret is sealed: the framework's plaintext element is not in the row.
            Assert.Contains($"<encryptedSecret decryptorType=\"{typeof(SecretBoxXmlDecryptor).FullName},", k.Xml);
            Assert.DoesNotContain("masterKey", k.Xml);
        });
    }

    [Fact]
    public void A_node_without_the_encryption_key_cannot_use_the_stored_ring_and_starts_its_own()
    {
        var protectedByOne = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Protect("signed in");

        // The same database, as a copy of it would be read with another key: nothing in the rows unseals the ring.
        using var stranger = app.WithWebHostBuilder(b => b.UseSetting(SecretBox.ConfigKey, Convert.ToBase64String(new byte[32])));
        var protector = stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(protectedByOne));
        // It is not stuck, though: it makes a key of its own (everyone signed in before signs in again).
        Assert.Equal("signed in anew", protector.Unprotect(protector.Protect("signed in anew")));
    }

    [Fact]
    public void After_a_rotation_that_keeps_the_old_key_as_previous_the_stored_ring_still_opens_so_nobody_is_signed_out()
    {
        var protectedByOne = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Protect("signed in");
        var oldKey = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[SecretBox.ConfigKey]!;

        using var rotated = app.WithWebHostBuilder(b => b
            .UseSetting(SecretBox.ConfigKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .UseSetting(SecretBox.PreviousKeysConfigKey, oldKey));

        Assert.Equal("signed in", rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session").Unprotect(protectedByOne));
    }
}
