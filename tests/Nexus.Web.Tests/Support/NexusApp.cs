using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Tests.Support;

namespace Nexus.Web.Tests.Support;

/// <summary>
/// The real web app against the real database, in a schema of its own for each test class
/// (<typeparamref name="TTest"/>), so classes run in parallel without seeing each other's rows.
/// </summary>
public class NexusApp<TTest> : WebApplicationFactory<Program>
{
    public const string Pepper = "test-pepper-0123456789abcdef";
    public string Schema { get; } = TestDatabase.SchemaFor(typeof(TTest));

    /// <summary>Whether this host made the schema, and so drops it when the class is done (a second node does not).</summary>
    private readonly bool _ownsSchema;

    public NexusApp()
    {
        TestSchemas.Drop(Schema);
        _ownsSchema = true;
    }

    /// <summary>A second web node on the same schema as <paramref name="first"/> (for tests about several processes).</summary>
    protected NexusApp(NexusApp<TTest> first) => Schema = first.Schema;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsSchema) await TestSchemas.DropAfterClassAsync(Schema);
    }

    /// <summary>The key webhook secrets are encrypted with in tests (base64 of 32 bytes).</summary>
    public const string WebhookSecretKey = "dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0LWtleS0zMmI=";

    /// <summary>Extra configuration for this host (set before first use).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Nexus", TestDatabase.ConnectionString);
        builder.UseSetting("Nexus:Schema", Schema);
        builder.UseSetting("Nexus:KeyPepper", Pepper);
        builder.UseSetting("Nexus:SecretKey", WebhookSecretKey);
        // Tests register loopback receivers; production denies them unless a deployment allows them.
        builder.UseSetting("Nexus:Webhooks:AllowHttp", "true");
        builder.UseSetting("Nexus:Webhooks:AllowedPrivateNetworks", "127.0.0.0/8");
        foreach (var (name, value) in Settings) builder.UseSetting(name, value);
        // Passwords are hashed with a hundredth of the production work factor: hundreds of sign-ups and
        // logins at 70 ms of CPU each were a third of the dashboard tests' time. PasswordStorageTests
        // checks the product's own factor, on a host that keeps it.
        if (CheapPasswordHashing)
            builder.ConfigureServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordIterations));
    }

    public const int TestPasswordIterations = 1_000;

    /// <summary>Whether this host hashes passwords with <see cref="TestPasswordIterations"/> instead of the product's work factor.</summary>
    protected virtual bool CheapPasswordHashing => true;

    /// <summary>Another node serving the same database schema, with its own caches and listeners.</summary>
    public NexusApp<TTest> SecondNode() => new SecondNodeApp(this);

    private sealed class SecondNodeApp(NexusApp<TTest> first) : NexusApp<TTest>(first);

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    private readonly Lock _kestrelLock = new();
    private Uri? _kestrelAddress;

    /// <summary>
    /// Opt-in for browser tests: serves the app on real Kestrel (a free loopback port) instead of
    /// the in-memory test server, and returns its address. Call it before anything else uses this
    /// fixture (the first call decides which server runs); later calls return the same address.
    /// </summary>
    public Uri StartKestrel()
    {
        lock (_kestrelLock)
        {
            if (_kestrelAddress is not null) return _kestrelAddress;
            UseKestrel(0);
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            return _kestrelAddress = new Uri(addresses.Addresses.First());
        }
    }

    /// <summary>An org with an owner, stored directly (the signup flow has its own tests).</summary>
    public async Task<TestOrg> CreateOrgAsync(string name = "Acme", Plan plan = Plan.Free)
    {
        var now = DateTimeOffset.UtcNow;
        var org = new Organization { Id = Ids.New("org"), Name = name, Plan = plan, CreatedAt = now };
        var user = new User
        {
            Id = Ids.New("user"), Email = $"{org.Id}@example.test", PasswordHash = "-",
            SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = now,
        };
        var membership = new Membership { Id = Ids.New("mem"), OrgId = org.Id, UserId = user.Id, Role = Role.Owner, CreatedAt = now };
        await using var session = Store.LightweightSession();
        session.Store(org);
        session.Store(user);
        session.Store(membership);
        await session.SaveChangesAsync();
        return new TestOrg(this.Services, org, user);
    }
}

public sealed record TestOrg(IServiceProvider Services, Organization Org, User Owner)
{
    /// <summary>Creates a key the way the product does (only the hash stored) and returns its plaintext.</summary>
    /// <remarks>Without <paramref name="scopes"/> the key gets its kind's defaults (everything but admin:all for a secret key).</remarks>
    public async Task<(string Plaintext, ApiKey Key)> CreateKeyAsync(Mode mode = Mode.Test, KeyKind kind = KeyKind.Secret, string name = "test key",
        IReadOnlyList<string>? scopes = null)
    {
        var spec = new KeySpec(name, kind, mode) { Scopes = scopes ?? KeyScopes.DefaultFor(kind) };
        var (key, plaintext) = KeyIssuer.Issue(
            Services.GetRequiredService<KeyHasher>(), TimeProvider.System, Org.Id, spec, Owner.Id);
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
        return (plaintext, key);
    }

    public async Task<HttpClient> ClientWithKeyAsync(HttpClient client, Mode mode = Mode.Test, IReadOnlyList<string>? scopes = null)
    {
        var (plaintext, _) = await CreateKeyAsync(mode, scopes: scopes);
        client.DefaultRequestHeaders.Authorization = new("Bearer", plaintext);
        return client;
    }
}
