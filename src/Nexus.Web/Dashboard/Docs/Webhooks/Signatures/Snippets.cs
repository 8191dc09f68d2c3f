namespace Nexus.Web.Dashboard.Docs.Webhooks.Signatures;

/// <summary>
/// The copy-paste verification code on the "Verifying signatures" page. The C# one is compiled
/// and run against <see cref="Nexus.Shared.Webhooks.WebhookSigner"/> by a test that holds the
/// same text, so the page cannot drift into code that does not work.
/// </summary>
public static class Snippets
{
    public const string CSharp = """
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
        """;

    public const string CSharpUsage = """
        // ASP.NET Core minimal API: verify the raw bytes before parsing them.
        app.MapPost("/webhooks/nexus", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();

            var ok = NexusWebhook.Verify(
                builder.Configuration["Nexus:WebhookSecret"]!,      // whsec_…
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                body, DateTimeOffset.UtcNow);
            if (!ok) return Results.BadRequest();

            var evt = JsonDocument.Parse(body).RootElement;     // { id, type, created_at, mode, data }
            // Deduplicate on webhook-id (= evt.id): retries and replays send the same id.
            return Results.NoContent();
        });
        """;

    public const string Node = """
        // npm install standardwebhooks express
        import express from "express";
        import { Webhook } from "standardwebhooks";

        const wh = new Webhook(process.env.NEXUS_WEBHOOK_SECRET); // "whsec_…"
        const app = express();

        // express.raw keeps the exact bytes: a re-serialized JSON body would not verify.
        app.post("/webhooks/nexus", express.raw({ type: "application/json" }), (req, res) => {
          let event;
          try {
            // Checks the signature(s) and the ±5 minute timestamp tolerance; throws otherwise.
            event = wh.verify(req.body, req.headers);
          } catch {
            return res.status(400).send("invalid signature");
          }
          // event = { id, type, created_at, mode, data }; deduplicate on event.id (the webhook-id).
          res.sendStatus(204);
        });

        app.listen(3000);
        """;

    public const string Python = """
        # pip install standardwebhooks flask
        import os
        from flask import Flask, abort, request
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError

        wh = Webhook(os.environ["NEXUS_WEBHOOK_SECRET"])  # "whsec_…"
        app = Flask(__name__)

        @app.post("/webhooks/nexus")
        def nexus_webhook():
            try:
                # The raw bytes, and the headers: checks the signature(s) and the ±5 minute tolerance.
                event = wh.verify(request.get_data(), dict(request.headers))
            except WebhookVerificationError:
                abort(400)
            # event = {"id", "type", "created_at", "mode", "data"}; deduplicate on event["id"] (the webhook-id).
            return "", 204
        """;
}
