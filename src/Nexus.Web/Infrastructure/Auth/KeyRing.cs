using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Nexus.Web.Infrastructure.Auth;

/// <summary>One ASP.NET Core data-protection key, as the framework hands it over (XML).</summary>
public sealed class DataProtectionKeyDocument
{
    /// <summary>The framework's name for it (<c>key-{guid}</c>).</summary>
    public string Id { get; set; } = "";

    public string Xml { get; set; } = "";
}

/// <summary>
/// Keeps the keys that sign the dashboard's session cookies and antiforgery tokens in PostgreSQL,
/// beside everything else: every web node reads the same key ring, so a user signed in through
/// one node stays signed in on the others, and a restart or a new container signs nobody out.
/// The framework's default (a folder under the user's home, or memory when there is none) gives
/// each machine its own ring. The framework ships repositories for files, the registry, Redis
/// and Entity Framework; Nexus has none of those, so this is the small Marten one.
/// Keys are stored as the framework writes them: whoever can read this table can read the rest
/// of the database too, so encrypting them here would protect nothing more.
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

public static class KeyRingSetup
{
    public static IServiceCollection AddNexusKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Nexus");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((options, store) => options.XmlRepository = new MartenKeyRing(store));
        return services;
    }
}
