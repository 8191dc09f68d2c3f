using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Shared.Store;
using Nexus.Shared.Tests.Support;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Delivery;
using Nexus.Worker.Heartbeat;

namespace Nexus.Worker.Tests.Support;

/// <summary>
/// A schema of its own per test class (reset at the start, tables created up front) with webhook
/// endpoints, events and delivery engines wired as the worker wires them. Each engine gets its own
/// service provider, so two engines on one schema behave like two worker processes.
/// </summary>
public class DeliveryWorld<TTest> : IAsyncLifetime
{
    /// <summary>The key webhook secrets are encrypted with in tests (base64 of 32 bytes).</summary>
    public const string SecretKey = "dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0LWtleS0zMmI=";

    public string Schema { get; } = "tw_" + typeof(TTest).Name.ToLowerInvariant();
    public SecretBox Box { get; } = new(SecretKey);
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<DeliveryEngine> _engines = [];
    private readonly List<Microsoft.Extensions.Hosting.IHostedService> _hosted = [];
    private ServiceProvider? _main;

    public IDocumentStore Store => _main!.GetRequiredService<IDocumentStore>();
    public NpgsqlDataSource DataSource => _main!.GetRequiredService<NpgsqlDataSource>();
    public string DeliveriesTable => Store.Options.Schema.For<WebhookDelivery>().ToString();

    public async Task InitializeAsync()
    {
        await TestSchemas.DropAsync(Schema);
        _main = Provider(TimeProvider.System, new Dictionary<string, string?>());
        await Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    /// <summary>
    /// An engine with the worker's hosted services running (the LISTEN wake-up, graceful stop) but no
    /// Quartz tick, so only a notification or a finished attempt can make it claim.
    /// </summary>
    public async Task<DeliveryEngine> HostedEngineAsync(TimeProvider clock)
    {
        var provider = Provider(clock, []);
        var hosted = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        lock (_hosted) _hosted.AddRange(hosted);
        return provider.GetRequiredService<DeliveryEngine>();
    }

    /// <summary>A service of the class's own (engine-less) provider, e.g. the <see cref="DeliveryQueue"/>.</summary>
    public T Resolve<T>() where T : notnull => _main!.GetRequiredService<T>();

    /// <summary>Queues <paramref name="events"/> events for each endpoint in one transaction (as many event writes would).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> QueueManyAsync(IReadOnlyList<WebhookEndpoint> endpoints, int events, TimeProvider clock)
    {
        var deliveries = new List<WebhookDelivery>();
        await using var session = Store.LightweightSession();
        for (var i = 0; i < events; i++)
        {
            foreach (var endpoint in endpoints)
            {
                var evt = EventOutbox.NewEvent(endpoint.OrgId, Mode.Test, EventCatalog.TestPing, "{\"n\":" + i + "}", null, clock);
                session.Store(evt);
                deliveries.Add(EventOutbox.Enqueue(session, evt, endpoint.Id, DeliveryTriggers.Event, clock));
            }
        }
        await session.SaveChangesAsync();
        return deliveries;
    }

    /// <summary>The settings every engine gets unless a test overrides them: loopback allowed, short timeouts.</summary>
    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        [SecretBox.ConfigKey] = SecretKey,
        [SsrfGuard.AllowHttpKey] = "true",
        [SsrfGuard.AllowedNetworksKey] = "127.0.0.0/8",
        [$"{DeliveryOptions.Section}:TimeoutSeconds"] = "2",
        [$"{DeliveryOptions.Section}:ConnectTimeoutSeconds"] = "1",
        [$"{DeliveryOptions.Section}:ShutdownGraceSeconds"] = "2",
    };

    /// <summary>A new engine (as in a worker process of its own) on this schema.</summary>
    public DeliveryEngine Engine(TimeProvider clock, Dictionary<string, string?>? overrides = null)
    {
        var engine = Provider(clock, overrides ?? []).GetRequiredService<DeliveryEngine>();
        lock (_engines) _engines.Add(engine);
        return engine;
    }

    private ServiceProvider Provider(TimeProvider clock, Dictionary<string, string?> overrides)
    {
        var settings = DefaultSettings();
        foreach (var (key, value) in overrides) settings[key] = value;
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.AddFilter(level => level >= LogLevel.Warning))
            .AddSingleton(clock)
            .AddSingleton<WorkerIdentity>()
            .AddNexusStore(WorkerDatabase<TTest>.ConnectionString, Schema)
            .AddNexusWebhooks(config)
            .AddNexusDelivery(config);
        var provider = services.BuildServiceProvider();
        lock (_providers) _providers.Add(provider);
        return provider;
    }

    /// <summary>An enabled endpoint of a new org (or <paramref name="orgId"/>) posting to <paramref name="url"/>, signing with <paramref name="secret"/>.</summary>
    public async Task<WebhookEndpoint> NewEndpointAsync(string url, string? secret = null, string? orgId = null, Action<WebhookEndpoint>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(WebhookEndpoint.IdPrefix),
            OrgId = orgId ?? Ids.New("org"),
            Mode = Mode.Test,
            Url = url,
            SecretCiphertext = Box.Encrypt(secret ?? WebhookSigner.NewSecret()),
            CreatedAt = now,
            UpdatedAt = now,
        };
        configure?.Invoke(endpoint);
        await using var session = Store.LightweightSession();
        session.Store(endpoint);
        await session.SaveChangesAsync();
        return endpoint;
    }

    /// <summary>Publishes an event through the outbox (as the web app does), queueing one delivery per subscribed endpoint of the org.</summary>
    public async Task<(WebhookEvent Event, IReadOnlyList<WebhookDelivery> Deliveries)> PublishAsync(string orgId, TimeProvider clock,
        string type = EventCatalog.TestPing, string data = """{"object":"test","message":"héllo"}""", string? requestId = null)
    {
        await using var session = Store.LightweightSession();
        var evt = await EventOutbox.PublishAsync(session, orgId, Mode.Test, type, data, requestId, clock, CancellationToken.None);
        await session.SaveChangesAsync();
        return (evt, await DeliveriesOfAsync(evt.Id));
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesOfAsync(string eventId)
    {
        await using var session = Store.QuerySession();
        return await session.Query<WebhookDelivery>().Where(d => d.EventId == eventId).ToListAsync();
    }

    public async Task<WebhookDelivery> DeliveryAsync(string id)
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<WebhookDelivery>(id))!;
    }

    public async Task<WebhookEndpoint> EndpointAsync(string id)
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<WebhookEndpoint>(id))!;
    }

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(string orgId)
    {
        await using var session = Store.QuerySession();
        return await session.Query<AuditEntry>().Where(a => a.OrgId == orgId).ToListAsync();
    }

    public async Task<IReadOnlyList<WebhookEvent>> EventsAsync(string orgId)
    {
        await using var session = Store.QuerySession();
        return await session.Query<WebhookEvent>().Where(e => e.OrgId == orgId).ToListAsync();
    }

    /// <summary>Scalar SQL over this schema's tables, for what the documents do not show (claims left over).</summary>
    public async Task<long> CountAsync(string whereSql)
    {
        await using var cmd = DataSource.CreateCommand($"select count(*) from {DeliveriesTable} where {whereSql}");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_hosted)) await service.StopAsync(CancellationToken.None);
        foreach (var engine in _engines) await engine.StopAsync(CancellationToken.None);
        foreach (var provider in _providers) await provider.DisposeAsync();
        await TestSchemas.DropAfterClassAsync(Schema);
    }
}
