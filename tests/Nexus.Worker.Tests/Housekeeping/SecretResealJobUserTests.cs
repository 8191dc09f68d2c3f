using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Housekeeping;
using Nexus.Worker.Tests.Support;

namespace Nexus.Worker.Tests.Housekeeping;

/// <summary>Rotating the secret key also re-seals users' authenticator (TOTP) secrets (a schema of its own: other tests' rows are sealed under other keys).</summary>
public sealed class SecretResealJobUserTests(WorkerDatabase<SecretResealJobUserTests> db) : IClassFixture<WorkerDatabase<SecretResealJobUserTests>>
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Users_authenticator_secrets_enabled_or_being_set_up_are_resealed_too()
    {
        await db.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        var (oldKey, newKey) = (NewKey(), NewKey());
        var old = new SecretBox(oldKey);
        var rotated = new SecretBox(newKey, [oldKey]);
        var enabled = TwoFactorUser(old.Encrypt("ENABLEDSECRET"), null);
        var settingUp = TwoFactorUser(null, old.Encrypt("PENDINGSECRET"));
        var without = TwoFactorUser(null, null);
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(enabled, settingUp, without);
            await session.SaveChangesAsync();
        }
        var job = new SecretResealJob(db.Store, db.DataSource, rotated, NullLogger<SecretResealJob>.Instance);

        var first = await job.ResealAsync(default);
        var second = await job.ResealAsync(default);

        Assert.Equal(2, first.TotpSecrets);
        Assert.Equal(0, second.TotpSecrets);
        await using var read = db.Store.QuerySession();
        var newOnly = new SecretBox(newKey);
        var (readEnabled, readSettingUp, readWithout) = ((await read.LoadAsync<User>(enabled.Id))!, (await read.LoadAsync<User>(settingUp.Id))!, (await read.LoadAsync<User>(without.Id))!);
        Assert.Equal(("ENABLEDSECRET", null), (newOnly.Decrypt(readEnabled.TotpSecret!), readEnabled.PendingTotpSecret));
        Assert.Equal((null, "PENDINGSECRET"), (readSettingUp.TotpSecret, newOnly.Decrypt(readSettingUp.PendingTotpSecret!)));
        Assert.Equal((null, null), (readWithout.TotpSecret, readWithout.PendingTotpSecret));
        Assert.Equal(enabled.RecoveryCodeHashes, readEnabled.RecoveryCodeHashes);
    }

    private static User TwoFactorUser(string? secret, string? pending) => new()
    {
        Id = Ids.New("user"),
        Email = $"{Guid.NewGuid():N}@example.test",
        PasswordHash = "-",
        SecurityStamp = "stamp",
        TotpSecret = secret,
        PendingTotpSecret = pending,
        RecoveryCodeHashes = secret is null ? [] : ["hash-1", "hash-2"],
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
