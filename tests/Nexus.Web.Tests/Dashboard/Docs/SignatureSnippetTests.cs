using System.Runtime.CompilerServices;
using Nexus.Shared.Webhooks;
using Nexus.Web.Dashboard.Docs.Webhooks.Signatures;
// snippet:start
using System.Security.Cryptography;
using System.Text;

public static class NexusWebhook
{
    private const long ToleranceSeconds = 5 * 60;

    /// <summary>True when the message was signed with your secret and sent within 5 minutes of now.</summary>
    public static bool Verify(string secret, string webhookId, string webhookTimestamp, string webhookSignature,
        byte[] rawBody, DateTimeOffset now)
    {
        if (!long.TryParse(webhookTimestamp, out var sentAt)) return false;
        var nowSeconds = now.ToUnixTimeSeconds();
        if (sentAt < nowSeconds - ToleranceSeconds || sentAt > nowSeconds + ToleranceSeconds) return false;

        var key = Convert.FromBase64String(secret.StartsWith("whsec_") ? secret["whsec_".Length..] : secret);
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.");
        var signed = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(signed, 0);
        rawBody.CopyTo(signed, prefix.Length);
        var expected = HMACSHA256.HashData(key, signed);

        // Space-separated "v1,<base64>" entries: two of them while a secret rotation is in its grace period.
        foreach (var entry in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', 2);
            if (parts.Length != 2 || parts[0] != "v1") continue;
            var given = new byte[64];
            if (!Convert.TryFromBase64String(parts[1], given, out var length)) continue;
            if (CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected)) return true;
        }
        return false;
    }
}
// snippet:end

namespace Nexus.Web.Tests.Dashboard.Docs
{
    /// <summary>
    /// The C# code on the "Verifying signatures" page, compiled (above, copied from the page) and
    /// run against what <see cref="WebhookSigner"/> sends; and a check that the page still shows
    /// exactly this code.
    /// </summary>
    public sealed class SignatureSnippetTests
    {
        private const string Id = "evt_01jd4n7b2c8d5e3f9g6h1j4k7m";
        private static readonly DateTimeOffset SentAt = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_01jd4n7b2c8d5e3f9g6h1j4k7m","type":"test.ping","data":{"message":"héllo"}}""");

        [Fact]
        public void The_snippet_accepts_a_signature_made_by_nexus()
        {
            var secret = WebhookSigner.NewSecret();
            var timestamp = SentAt.ToUnixTimeSeconds();
            var header = WebhookSigner.SignatureHeader([secret], Id, timestamp, Body);

            Assert.True(NexusWebhook.Verify(secret, Id, timestamp.ToString(), header, Body, SentAt.AddSeconds(3)));
        }

        [Fact]
        public void During_a_rotation_either_secret_verifies_the_two_signature_header()
        {
            var (current, previous) = (WebhookSigner.NewSecret(), WebhookSigner.NewSecret());
            var timestamp = SentAt.ToUnixTimeSeconds();
            var header = WebhookSigner.SignatureHeader([current, previous], Id, timestamp, Body);

            Assert.Contains(' ', header);
            Assert.True(NexusWebhook.Verify(current, Id, timestamp.ToString(), header, Body, SentAt));
            Assert.True(NexusWebhook.Verify(previous, Id, timestamp.ToString(), header, Body, SentAt));
            Assert.False(NexusWebhook.Verify(WebhookSigner.NewSecret(), Id, timestamp.ToString(), header, Body, SentAt));
        }

        [Fact]
        public void A_changed_body_id_or_timestamp_or_a_foreign_secret_is_rejected()
        {
            var secret = WebhookSigner.NewSecret();
            var timestamp = SentAt.ToUnixTimeSeconds();
            var header = WebhookSigner.SignatureHeader([secret], Id, timestamp, Body);
            var tampered = (byte[])Body.Clone();
            tampered[^3] ^= 1;

            Assert.False(NexusWebhook.Verify(secret, Id, timestamp.ToString(), header, tampered, SentAt));
            Assert.False(NexusWebhook.Verify(secret, "evt_other", timestamp.ToString(), header, Body, SentAt));
            Assert.False(NexusWebhook.Verify(secret, Id, (timestamp + 1).ToString(), header, Body, SentAt));
            Assert.False(NexusWebhook.Verify(secret, Id, timestamp.ToString(), "v1,not-base64!!", Body, SentAt));
            Assert.False(NexusWebhook.Verify(secret, Id, timestamp.ToString(), header.Replace("v1,", "v2,"), Body, SentAt));
        }

        [Theory]
        [InlineData(-301, false)]
        [InlineData(-300, true)]
        [InlineData(300, true)]
        [InlineData(301, false)]
        public void Timestamps_more_than_five_minutes_from_now_are_rejected(int skewSeconds, bool accepted)
        {
            var secret = WebhookSigner.NewSecret();
            var timestamp = SentAt.ToUnixTimeSeconds();
            var header = WebhookSigner.SignatureHeader([secret], Id, timestamp, Body);

            Assert.Equal(accepted, NexusWebhook.Verify(secret, Id, timestamp.ToString(), header, Body, SentAt.AddSeconds(skewSeconds)));
            Assert.False(NexusWebhook.Verify(secret, Id, "9223372036854775807", header, Body, SentAt));
            Assert.False(NexusWebhook.Verify(secret, Id, "-9223372036854775808", header, Body, SentAt));
        }

        [Fact]
        public void The_page_shows_exactly_the_code_this_test_compiles()
        {
            Assert.Equal(Normalized(Snippets.CSharp), Normalized(CompiledSnippet()));
        }

        private static string CompiledSnippet([CallerFilePath] string path = "")
        {
            var source = File.ReadAllText(path);
            const string start = "// snippet:start", end = "// snippet:end";
            var from = source.IndexOf(start, StringComparison.Ordinal) + start.Length;
            return source[from..source.IndexOf(end, from, StringComparison.Ordinal)];
        }

        private static string Normalized(string code) =>
            string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
    }
}
