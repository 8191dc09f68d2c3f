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

        Assert.StartsWith("v1.", stored);
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
        Assert.NotEqual(Convert.FromBase64String(a[3..])[..12], Convert.FromBase64String(b[3..])[..12]);
    }

    [Theory]
    [InlineData(0)]  // nonce
    [InlineData(12)] // tag
    [InlineData(30)] // ciphertext
    public void Any_tampered_byte_is_detected(int index)
    {
        var box = new SecretBox(NewKey());
        var blob = Convert.FromBase64String(box.Encrypt(WebhookSigner.NewSecret())[3..]);
        blob[index] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => box.Decrypt("v1." + Convert.ToBase64String(blob)));
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
    [InlineData("v1.")]
    [InlineData("v1.AAAA")]
    [InlineData("v1.not base64!")]
    [InlineData("whsec_plaintext")]
    public void A_stored_value_that_is_not_a_sealed_secret_is_refused_as_a_cryptographic_error(string stored) =>
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(NewKey()).Decrypt(stored));

    [Theory]
    [InlineData(null, "Set Nexus:Webhooks:SecretKey")]
    [InlineData("", "Set Nexus:Webhooks:SecretKey")]
    [InlineData("   ", "Set Nexus:Webhooks:SecretKey")]
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
}
