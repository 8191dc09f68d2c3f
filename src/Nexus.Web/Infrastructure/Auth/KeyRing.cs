using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Nexus.Shared.Accounts;
using Nexus.Shared.Webhooks;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>
/// Keeps the keys that sign the dashboard's session cookies and antiforgery tokens in PostgreSQL,
/// beside everything else: every web node reads the same key ring, so a user signed in through
/// one node stays signed in on the others, and a restart or a new container signs nobody out.
/// The framework's default (a folder under the user's home, or memory when there is none) gives
/// each machine its own ring. The framework ships repositories for files, the registry, Redis
/// and Entity Framework; Nexus has none of those, so this is the small Marten one.
/// Each key's secret is stored encrypted (<see cref="SecretBoxXmlEncryptor"/>): with the ring in
/// plain text, a leaked backup or database dump would be enough to mint anyone's session cookie.
/// </summary>
public sealed class MartenKeyRing(IDocumentStore store) : IXmlRepository
{
    // The framework's interface is synchronous and Marten reads and writes only asynchronously.
    // Waiting here is safe and rare: the framework caches the ring (reading it at start and about
    // once a day, on its own thread when it can) and adds a key every 90 days.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var session = store.QuerySession();
        var keys = session.Query<DataProtectionKeyDocument>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKeyDocument { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

/// <summary>
/// Encrypts a data-protection key's secret with <see cref="SecretBox"/> (AES-256-GCM under
/// <c>Nexus:SecretKey</c>, the key that already keeps webhook secrets from a database
/// dump) before the ring is stored. The framework's own encryptors need a certificate, Windows
/// DPAPI or Azure Key Vault; a deployment of Nexus has the configured key and nothing else.
/// Keys written before this existed stay readable: the framework reads an unencrypted key as is.
/// </summary>
public sealed class SecretBoxXmlEncryptor(SecretBox box) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
        new XElement(DataProtectionKeyDocument.SealedElement, box.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))),
        typeof(SecretBoxXmlDecryptor));
}

/// <summary>Made by the framework from the type named in the stored key, with the app's services.</summary>
public sealed class SecretBoxXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretBox>().Decrypt(encryptedElement.Value));
}

public static class KeyRingSetup
{
    public static IServiceCollection AddNexusKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Nexus");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore, SecretBox>((options, store, box) =>
            {
                options.XmlRepository = new MartenKeyRing(store);
                options.XmlEncryptor = new SecretBoxXmlEncryptor(box);
            });
        return services;
    }
}
