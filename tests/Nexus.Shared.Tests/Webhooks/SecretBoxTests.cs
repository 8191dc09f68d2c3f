using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class SecretBoxTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_secret_round_trips_and_is_not_readable_in_its_stored_form()
    {
        var box = new SecretBox(NewKey());
        var secret = WebhookSigner.NewSecret();

        var stored = box.Encrypt(secret);

        Assert.StartsWith($"v2.{box.CurrentKeyId}.", stored);
        Assert.DoesNotContain(secret["whsec_".Length..], stored);
        Assert.Equal(secret, box.Decrypt(stored));
    }

    [Fact]
    public void Encrypting_twice_gives_different_ciphertexts_with_fresh_nonces()
    {
        var box = new SecretBox(NewKey());

        var a = box.Encrypt("whsec_same");
        var b = box.Encrypt("whsec_same");

        Assert.NotEqual(a, b);
        Assert.NotEqual(Blob(a)[..12], Blob(b)[..12]);
    }

    [Theory]
    [InlineData(0)]  // nonce
    [InlineData(12)] // tag
    [InlineData(30)] // ciphertext
    public void Any_tampered_byte_is_detected(int index)
    {
        var box = new SecretBox(NewKey());
        var blob = Blob(box.Encrypt(WebhookSigner.NewSecret()));
        blob[index] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => box.Decrypt($"v2.{box.CurrentKeyId}." + Convert.ToBase64String(blob)));
    }

    [Fact]
    public void Another_key_cannot_decrypt()
    {
        var stored = new SecretBox(NewKey()).Encrypt(WebhookSigner.NewSecret());

        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(NewKey()).Decrypt(stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v2.AAAA")]
    [InlineData("v2.0123abcd.AAAA")]
    [InlineData("v1.")]
    [InlineData("v1.AAAA")]
    [InlineData("v1.not base64!")]
    [InlineData("whsec_plaintext")]
    public void A_stored_value_that_is_not_a_sealed_secret_is_refused_as_a_cryptographic_error(string stored) =>
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(NewKey()).Decrypt(stored));

    [Theory]
    [InlineData(null, "Set Nexus:SecretKey")]
    [InlineData("", "Set Nexus:SecretKey")]
    [InlineData("   ", "Set Nexus:SecretKey")]
    [InlineData("not base64!", "not valid base64")]
    [InlineData("AAAA", "must be 32 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "must be 32 bytes")]
    public void A_missing_or_malformed_key_is_refused_with_a_message_that_says_what_to_set(string? key, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SecretBox(key));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_error_for_a_wrong_length_key_does_not_echo_the_key()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

        var error = Assert.Throws<InvalidOperationException>(() => new SecretBox(key));

        Assert.DoesNotContain(key, error.Message);
    }

    [Fact]
    public void After_a_rotation_the_previous_key_opens_what_it_sealed_and_only_the_new_key_seals()
    {
        var (oldKey, newKey) = (NewKey(), NewKey());
        var before = new SecretBox(oldKey);
        var sealedBefore = before.Encrypt("whsec_before");
        var sealedV1 = V1(oldKey, "whsec_v1");

        var rotated = new SecretBox(newKey, [oldKey]);

        Assert.Equal("whsec_before", rotated.Decrypt(sealedBefore));
        Assert.Equal("whsec_v1", rotated.Decrypt(sealedV1)); // the form without a key id: each key is tried
        Assert.False(rotated.IsSealedWithCurrentKey(sealedBefore));
        Assert.False(rotated.IsSealedWithCurrentKey(sealedV1));
        var resealed = rotated.Reseal(sealedBefore);
        Assert.True(rotated.IsSealedWithCurrentKey(resealed));
        Assert.Equal("whsec_before", new SecretBox(newKey).Decrypt(resealed)); // the old key is no longer needed
        Assert.NotEqual(before.CurrentKeyId, rotated.CurrentKeyId);
    }

    [Fact]
    public void A_secret_sealed_under_a_key_no_longer_configured_is_refused_naming_the_key_id_and_the_setting_never_the_key()
    {
        var oldKey = NewKey();
        var old = new SecretBox(oldKey);
        var stored = old.Encrypt("whsec_x");

        var error = Assert.ThrowsAny<CryptographicException>(() => new SecretBox(NewKey(), [NewKey()]).Decrypt(stored));

        Assert.Contains(old.CurrentKeyId, error.Message);
        Assert.Contains(SecretBox.PreviousKeysConfigKey, error.Message);
        Assert.DoesNotContain(oldKey, error.Message);
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(NewKey(), [NewKey()]).Decrypt(V1(oldKey, "whsec_v1")));
    }

    [Theory]
    [InlineData("not base64!", "Nexus:PreviousSecretKeys (key 2) is not valid base64")]
    [InlineData("AAAA", "Nexus:PreviousSecretKeys (key 2) must be 32 bytes")]
    public void A_malformed_previous_key_is_refused_saying_which_one(string bad, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SecretBox.FromSettings(NewKey(), $"{NewKey()}, {bad}"));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Previous_keys_are_read_from_a_comma_separated_setting_and_an_empty_one_means_none()
    {
        var (a, b) = (NewKey(), NewKey());
        var sealedA = new SecretBox(a).Encrypt("whsec_a");

        Assert.Equal("whsec_a", SecretBox.FromSettings(NewKey(), $" {b} ,{a}").Decrypt(sealedA));
        Assert.ThrowsAny<CryptographicException>(() => SecretBox.FromSettings(NewKey(), "").Decrypt(sealedA));
        Assert.ThrowsAny<CryptographicException>(() => SecretBox.FromSettings(NewKey(), null).Decrypt(sealedA));
    }

    /// <summary>nonce ‖ tag ‖ ciphertext of a stored value.</summary>
    private static byte[] Blob(string stored) => Convert.FromBase64String(stored[(stored.LastIndexOf('.') + 1)..]);

    /// <summary>The stored form written before key ids (v1.): base64(nonce ‖ tag ‖ ciphertext), made here the way that version did.</summary>
    private static string V1(string base64Key, string plaintext)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, 12));
        using var aes = new AesGcm(Convert.FromBase64String(base64Key), 16);
        aes.Encrypt(blob.AsSpan(0, 12), plain, blob.AsSpan(28), blob.AsSpan(12, 16));
        return "v1." + Convert.ToBase64String(blob);
    }
}

/// <summary>The setting's name moved from Nexus:Webhooks:SecretKey to Nexus:SecretKey; deployments set with the old one keep working.</summary>
public sealed class SecretBoxSettingsTests
{
    private const string Key = "dGVzdC1vbmx5LXdlYmhvb2stc2VjcmV0LWtleS0zMmI=", Other = "b3RoZXItdGVzdC1vbmx5LXNlY3JldC1rZXktMzJieXQ=";

    private static SecretBox BoxFrom(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddNexusWebhooks(config)
            .BuildServiceProvider().GetRequiredService<SecretBox>();
    }

    [Fact]
    public void The_earlier_names_are_read_when_the_new_ones_are_not_set()
    {
        var sealedByOther = new SecretBox(Other).Encrypt("whsec_old");

        var box = BoxFrom(new() { [SecretBox.LegacyConfigKey] = Key, [SecretBox.LegacyPreviousKeysConfigKey] = Other });

        Assert.Equal(new SecretBox(Key).CurrentKeyId, box.CurrentKeyId);
        Assert.Equal("whsec_old", box.Decrypt(sealedByOther));
    }

    [Fact]
    public void The_new_name_wins_over_the_earlier_one()
    {
        var box = BoxFrom(new() { [SecretBox.ConfigKey] = Key, [SecretBox.LegacyConfigKey] = Other });

        Assert.Equal(new SecretBox(Key).CurrentKeyId, box.CurrentKeyId);
    }
}
