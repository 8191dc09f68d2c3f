using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

/// <summary>Rotating the secret key: the worker re-seals what the previous key sealed, so the previous key can then be dropped.</summary>
public sealed class SecretResealJobTests(WorkerDatabase<SecretResealJobTests> db) : IClassFixture<WorkerDatabase<SecretResealJobTests>>
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Secrets_and_key_ring_keys_sealed_under_the_previous_key_are_resealed_under_the_new_one_and_nothing_else_is_touched()
    {
        // The job reads every table that holds sealed secrets; a real deployment creates them all at startup.
        await db.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        var (oldKey, newKey) = (NewKey(), NewKey());
        var old = new SecretBox(oldKey);
        var rotated = new SecretBox(newKey, [oldKey]);
        var stale = Endpoint(old.Encrypt("whsec_current"), old.Encrypt("whsec_previous"));
        var fresh = Endpoint(rotated.Encrypt("whsec_fresh"), null);
        var foreign = Endpoint(new SecretBox(NewKey()).Encrypt("whsec_foreign"), null);
        var ringSecret = "<masterKey><value>ring-secret</value></masterKey>";
        var ringKey = new DataProtectionKeyDocument
        {
            Id = "key-" + Guid.NewGuid(),
            Xml = new XElement("key", new XElement("descriptor", new XElement("encryptedSecret",
                new XElement(DataProtectionKeyDocument.SealedElement, old.Encrypt(ringSecret))))).ToString(SaveOptions.DisableFormatting),
        };
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(stale, fresh, foreign);
            session.Store(ringKey);
            await session.SaveChangesAsync();
        }
        var job = new SecretResealJob(db.Store, db.DataSource, rotated, NullLogger<SecretResealJob>.Instance);

        var first = await job.ResealAsync(default);
        var second = await job.ResealAsync(default);

        Assert.Equal((1, 1), (first.Endpoints, first.KeyRingKeys));
        Assert.Equal([foreign.Id], first.Unopenable);
        Assert.Equal((0, 0), (second.Endpoints, second.KeyRingKeys)); // nothing left to do
        Assert.Equal([foreign.Id], second.Unopenable);
        await using var read = db.Store.QuerySession();
        var newOnly = new SecretBox(newKey); // what is left once the previous key is dropped from the settings
        var resealed = (await read.LoadAsync<WebhookEndpoint>(stale.Id))!;
        Assert.Equal(("whsec_current", "whsec_previous"), (newOnly.Decrypt(resealed.SecretCiphertext), newOnly.Decrypt(resealed.PreviousSecretCiphertext!)));
        Assert.Equal(stale.PreviousSecretExpiresAt, resealed.PreviousSecretExpiresAt);
        Assert.Equal(fresh.SecretCiphertext, (await read.LoadAsync<WebhookEndpoint>(fresh.Id))!.SecretCiphertext);
        Assert.Equal(foreign.SecretCiphertext, (await read.LoadAsync<WebhookEndpoint>(foreign.Id))!.SecretCiphertext);
        var ring = XElement.Parse((await read.LoadAsync<DataProtectionKeyDocument>(ringKey.Id))!.Xml);
        Assert.Equal(ringSecret, newOnly.Decrypt(ring.Descendants(DataProtectionKeyDocument.SealedElement).Single().Value));
    }

    [Fact]
    public async Task An_endpoint_whose_secret_changed_after_it_was_read_keeps_its_new_secret()
    {
        // The job reads every table that holds sealed secrets; a real deployment creates them all at startup.
        await db.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        var (oldKey, newKey) = (NewKey(), NewKey());
        var old = new SecretBox(oldKey);
        var rotated = new SecretBox(newKey, [oldKey]);
        var endpoint = Endpoint(old.Encrypt("whsec_old"), null);
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(endpoint);
            await session.SaveChangesAsync();
        }
        // Another process rotates the endpoint's secret while the job runs: the job's write must not undo it.
        var job = new SecretResealJob(db.Store, db.DataSource, rotated, NullLogger<SecretResealJob>.Instance)
        {
            BeforeWrite = async id =>
            {
                await using var session = db.Store.LightweightSession();
                var changed = (await session.LoadAsync<WebhookEndpoint>(id))!;
                changed.SecretCiphertext = rotated.Encrypt("whsec_rotated_meanwhile");
                session.Store(changed);
                await session.SaveChangesAsync();
            },
        };

        var result = await job.ResealAsync(default);

        Assert.Equal(0, result.Endpoints);
        await using var read = db.Store.QuerySession();
        Assert.Equal("whsec_rotated_meanwhile", rotated.Decrypt((await read.LoadAsync<WebhookEndpoint>(endpoint.Id))!.SecretCiphertext));
    }

    private static WebhookEndpoint Endpoint(string secret, string? previous) => new()
    {
        Id = Ids.New(WebhookEndpoint.IdPrefix),
        OrgId = Ids.New("org"),
        Mode = Mode.Test,
        Url = "https://example.com/hook",
        SecretCiphertext = secret,
        PreviousSecretCiphertext = previous,
        PreviousSecretExpiresAt = previous is null ? null : DateTimeOffset.UtcNow.AddHours(24),
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}
