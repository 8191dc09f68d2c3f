using System.Security.Cryptography;
using System.Text;
using Nexus.Shared.Webhooks;

namespace Nexus.Shared.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";

    [Fact]
    public void The_standard_webhooks_reference_vector_reproduces_exactly()
    {
        // The vector every Standard Webhooks library (C#, Go, JS, PHP, Python…) tests its Sign() with.
        var signature = WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    // Computed independently with `openssl dgst -sha256 -mac HMAC -macopt hexkey:<base64-decoded secret>`
    // over "id.timestamp.body" and base64-encoded.
    [Theory]
    [InlineData(SpecSecret, SpecId, SpecTimestamp, "", "v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=")]
    [InlineData(SpecSecret, "evt_01jd4n6x9m3f8r2k7q5w0y1z3a", 1795860000L,
        """{"id":"evt_01jd4n6x9m3f8r2k7q5w0y1z3a","type":"note.created","data":{"title":"Café ☕"}}""",
        "v1,PduDUL47yn5oP+k37r3vcbdT+eUnfuXLYzX0oOJQoDI=")]
    [InlineData("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "1", 2L, "{}", "v1,ua+lbGVAfzWSZbk9fZplWiWvEeV5Z4tEPxn3CtFFB3Y=")]
    public void More_vectors_computed_with_openssl_match(string secret, string id, long timestamp, string body, string expected) =>
        Assert.Equal(expected, WebhookSigner.Sign(secret, id, timestamp, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void The_signed_content_is_id_dot_timestamp_dot_the_exact_body_bytes()
    {
        var content = WebhookSigner.SignedContent(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody));

        Assert.Equal($"{SpecId}.{SpecTimestamp}.{SpecBody}", Encoding.UTF8.GetString(content));
    }

    [Fact]
    public void Any_change_to_id_timestamp_or_body_changes_the_signature()
    {
        var body = Encoding.UTF8.GetBytes(SpecBody);
        var original = WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp, body);

        Assert.NotEqual(original, WebhookSigner.Sign(SpecSecret, SpecId + "x", SpecTimestamp, body));
        Assert.NotEqual(original, WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp + 1, body));
        Assert.NotEqual(original, WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody + " ")));
    }

    [Fact]
    public void During_a_rotation_the_header_carries_both_signatures_space_separated_new_first()
    {
        var previous = WebhookSigner.NewSecret();
        var body = Encoding.UTF8.GetBytes(SpecBody);

        var header = WebhookSigner.SignatureHeader([SpecSecret, previous], SpecId, SpecTimestamp, body);

        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", parts[0]);
        Assert.Equal(WebhookSigner.Sign(previous, SpecId, SpecTimestamp, body), parts[1]);
        Assert.Equal(parts[0], WebhookSigner.SignatureHeader([SpecSecret], SpecId, SpecTimestamp, body));
    }

    [Fact]
    public void New_secrets_are_whsec_and_at_least_24_random_bytes_and_never_repeat()
    {
        var secrets = Enumerable.Range(0, 1000).Select(_ => WebhookSigner.NewSecret()).ToList();

        Assert.All(secrets, s =>
        {
            Assert.StartsWith("whsec_", s);
            Assert.True(WebhookSigner.SecretKey(s).Length >= 24);
        });
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        // No byte position is constant across secrets (a fixed or counter-based part would show).
        var keys = secrets.Select(WebhookSigner.SecretKey).ToList();
        for (var i = 0; i < 24; i++) Assert.True(keys.Select(k => k[i]).Distinct().Count() > 100);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("")]
    public void A_secret_without_the_whsec_prefix_is_refused(string secret) =>
        Assert.Throws<ArgumentException>(() => WebhookSigner.Sign(secret, SpecId, SpecTimestamp, []));

    [Fact]
    public void A_whsec_secret_that_is_not_base64_is_refused() =>
        Assert.Throws<FormatException>(() => WebhookSigner.Sign("whsec_not base64!", SpecId, SpecTimestamp, []));

    [Fact]
    public void The_key_is_the_base64_part_of_the_secret()
    {
        var key = WebhookSigner.SecretKey(SpecSecret);

        Assert.Equal(Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), key);
        var manual = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{SpecId}.{SpecTimestamp}.{SpecBody}")));
        Assert.Equal(manual, WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
    }
}
