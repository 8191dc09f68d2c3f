using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.Notes;
using Nexus.Shared.Store;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Chaos;

/// <summary>
/// One org on a database of the test's own: its tables created up front (before any process starts,
/// so the web app and the worker do not race to create them), a test-mode secret key, and one webhook
/// endpoint subscribed to everything (retrying after 1 s). The store stays open for the test's checks.
/// </summary>
public sealed class ChaosTenant : IAsyncDisposable
{
    public const string Pepper = "chaos-test-pepper-0123456789abcdef";

    private readonly ServiceProvider _services;
    public string Schema { get; }
    public IDocumentStore Store => _services.GetRequiredService<IDocumentStore>();
    public NpgsqlDataSource DataSource => _services.GetRequiredService<NpgsqlDataSource>();
    public string OrgId { get; } = Ids.New("org");
    public string ApiKey { get; private set; } = "";
    public string EndpointSecret { get; } = WebhookSigner.NewSecret();
    public WebhookEndpoint Endpoint { get; private set; } = null!;

    private ChaosTenant(string connectionString, string schema)
    {
        Schema = schema;
        _services = new ServiceCollection().AddNexusStore(connectionString, schema).BuildServiceProvider();
    }

    /// <summary>Creates <paramref name="schema"/>'s tables and the org, key and endpoint in it.</summary>
    public static async Task<ChaosTenant> CreateAsync(string connectionString, string schema, string receiverUrl)
    {
        var tenant = new ChaosTenant(connectionString, schema);
        await tenant.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await tenant.SeedAsync(receiverUrl);
        return tenant;
    }

    private async Task SeedAsync(string receiverUrl)
    {
        var now = DateTimeOffset.UtcNow;
        var user = new User { Id = Ids.New("user"), Email = $"{OrgId}@example.test", PasswordHash = "-", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = now };
        var (key, plaintext) = KeyIssuer.Issue(new KeyHasher(Pepper), TimeProvider.System, OrgId,
            new KeySpec("chaos", KeyKind.Secret, Mode.Test) { Scopes = KeyScopes.DefaultFor(KeyKind.Secret) }, user.Id);
        ApiKey = plaintext;
        Endpoint = new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix),
            OrgId = OrgId,
            Mode = Mode.Test,
            Url = receiverUrl,
            SecretCiphertext = new SecretBox(DeliveryWorld<ChaosTenant>.SecretKey).Encrypt(EndpointSecret),
            // A failed attempt is retried a second later: only the worker's Quartz tick claims it then.
            RetryScheduleSeconds = [1, 1, 1],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var session = Store.LightweightSession();
        session.Store(new Organization { Id = OrgId, Name = "Chaos", Plan = Plan.Free, CreatedAt = now });
        session.Store(user);
        session.Store(new Membership { Id = Ids.New("mem"), OrgId = OrgId, UserId = user.Id, Role = Role.Owner, CreatedAt = now });
        session.Store(key);
        session.Store(Endpoint);
        await session.SaveChangesAsync();
    }

    /// <summary>The settings the web app and the worker share: this schema, the secrets, loopback receivers allowed.</summary>
    public Dictionary<string, string> SharedSettings() => new()
    {
        ["Nexus:Schema"] = Schema,
        ["Nexus:KeyPepper"] = Pepper,
        [SecretBox.ConfigKey] = DeliveryWorld<ChaosTenant>.SecretKey,
        [SsrfGuard.AllowHttpKey] = "true",
        [SsrfGuard.AllowedNetworksKey] = "127.0.0.0/8",
    };

    /// <summary>Publishes an event through the outbox, as a write of the web app would (committed, NOTIFY sent).</summary>
    public async Task<WebhookEvent> PublishAsync(string type, string data)
    {
        await using var session = Store.LightweightSession();
        var evt = await EventOutbox.PublishAsync(session, OrgId, Mode.Test, type, data, null, TimeProvider.System, CancellationToken.None);
        await session.SaveChangesAsync();
        return evt;
    }

    public async Task<Dictionary<string, Note>> NotesAsync()
    {
        await using var session = Store.QuerySession();
        return (await session.Query<Note>().Where(n => n.OrgId == OrgId).ToListAsync()).ToDictionary(n => n.Id);
    }

    /// <summary>How many attempts the deliveries of each event record (the chaos endpoint is the only one, so one delivery per event).</summary>
    public async Task<Dictionary<string, int>> AttemptsByEventAsync()
    {
        await using var session = Store.QuerySession();
        var deliveries = await session.Query<WebhookDelivery>().Where(d => d.OrgId == OrgId).ToListAsync();
        return deliveries.GroupBy(d => d.EventId).ToDictionary(g => g.Key, g => g.Sum(d => d.Attempts.Count));
    }

    /// <summary>Deliveries matching <paramref name="whereSql"/> (raw SQL on the table's columns, for the lease state the documents hide).</summary>
    public async Task<long> CountDeliveriesAsync(string whereSql)
    {
        await using var cmd = DataSource.CreateCommand($"select count(*) from {Store.Options.Schema.For<WebhookDelivery>()} where {whereSql}");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Whether a received request carries a valid signature by the endpoint's secret (Standard Webhooks).</summary>
    public bool SignatureValid(ReceivedRequest request)
    {
        var expected = WebhookSigner.Sign(EndpointSecret, request.Header("webhook-id"), long.Parse(request.Header("webhook-timestamp")), request.Body);
        return request.Header("webhook-signature").Split(' ').Contains(expected);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
