using System.Collections.Concurrent;
using Nexus.Shared.Common;
using Nexus.Shared.Webhooks;
using Nexus.Worker.Heartbeat;

namespace Nexus.Worker.Delivery;

/// <summary>
/// One attempt of one claimed delivery: refused without a request when its endpoint is disabled or
/// gone, otherwise signed with every current secret and sent; the outcome rules then set the
/// delivery's next state. Returns what the result means for the endpoint.
/// </summary>
public sealed class DeliveryAttempter(WebhookSender sender, SecretBox secrets, RetrySchedule schedule, TimeProvider clock, WorkerIdentity me)
{
    /// <summary>
    /// Signing secrets decrypted once per ciphertext, not once per delivery. The worker holds the key that
    /// decrypts them all anyway; a rotation brings a new ciphertext, and the cache is emptied when it grows past the bound.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _decrypted = new();
    private const int MaxDecrypted = 4096;

    public async Task<EndpointEffect> AttemptAsync(WebhookDelivery delivery, WebhookEvent? evt, byte[]? body, WebhookEndpoint? endpoint, CancellationToken abort)
    {
        var now = clock.GetUtcNow();
        var attemptId = Ids.New(DeliveryAttempt.IdPrefix, clock);
        // An endpoint of another org or mode is treated as gone: nothing is ever delivered across orgs.
        if (endpoint is null || endpoint.Deleted || endpoint.OrgId != delivery.OrgId || endpoint.Mode != delivery.Mode)
            DeliveryOutcome.Refuse(delivery, now, DeliveryErrors.EndpointDeleted, "The endpoint was deleted; nothing was sent.", attemptId, me.Id);
        else if (!endpoint.Enabled)
            DeliveryOutcome.Refuse(delivery, now, DeliveryErrors.EndpointDisabled, "The endpoint is disabled; nothing was sent.", attemptId, me.Id);
        else if (evt is null || body is null)
            DeliveryOutcome.Refuse(delivery, now, DeliveryErrors.EventMissing, "The event no longer exists; nothing was sent.", attemptId, me.Id);
        else
        {
            var keys = endpoint.SigningCiphertexts(now).Select(Decrypt).ToList();
            var message = new OutgoingWebhook(endpoint.Url, evt.Id, body, keys, evt.RequestId ?? attemptId);
            var (attempt, retryAfter) = await sender.SendAsync(message, attemptId, abort);
            attempt.Trigger = delivery.Trigger;
            attempt.WorkerId = me.Id;
            return DeliveryOutcome.Apply(delivery, attempt, DeliveryOutcome.ScheduleFor(endpoint, schedule),
                endpoint.ConsecutiveDeadLetters, retryAfter, Random.Shared.NextDouble());
        }
        return EndpointEffect.None;
    }

    private string Decrypt(string ciphertext)
    {
        if (_decrypted.TryGetValue(ciphertext, out var secret)) return secret;
        if (_decrypted.Count >= MaxDecrypted) _decrypted.Clear();
        return _decrypted[ciphertext] = secrets.Decrypt(ciphertext);
    }
}
