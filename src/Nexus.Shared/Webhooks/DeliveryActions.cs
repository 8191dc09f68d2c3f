using Marten;
using Nexus.Shared.Store;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;

namespace Nexus.Shared.Webhooks;

/// <summary>The outcome of a retry or replay: the deliveries queued, or why nothing was.</summary>
public sealed record DeliveryResult(IReadOnlyList<WebhookDelivery> Deliveries, Refusal? Refusal)
{
    public static DeliveryResult Refused(string code, string message, string? param = null) => new([], new Refusal(code, message, param));
}

/// <summary>
/// What people do to deliveries by hand, from the API and the dashboard alike: retry one,
/// replay an event to one or every endpoint, retry everything that failed for an endpoint since
/// a time. Each is audited. Nothing is sent from here: deliveries become due and the worker sends
/// them through the same guarded client as always, so none of this gets around the SSRF check.
/// A retried or replayed message keeps its <c>webhook-id</c> (the event id).
/// </summary>
public sealed class DeliveryActions(IDocumentSession session, TimeProvider clock)
{
    public const string DeliveryInProgress = "delivery_in_progress";
    public const string EndpointDeleted = "endpoint_deleted";
    public const string EndpointDisabled = "endpoint_disabled";
    public const int MaxBulkRetry = 1000;

    /// <summary>Makes one delivery due now, for one more attempt (pending ones are simply brought forward).</summary>
    public async Task<DeliveryResult> RetryAsync(string orgId, Mode mode, string deliveryId, AuditActor actor, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(deliveryId, WebhookDelivery.IdPrefix)) return new([], NotFound.Refusal<WebhookDelivery>(deliveryId));
        // Held until commit: a worker's claim skips the row meanwhile, so the two cannot both change it.
        await session.LockRowAsync<WebhookDelivery>(deliveryId, ct);
        var delivery = await session.LoadAsync<WebhookDelivery>(deliveryId, ct);
        if (delivery is null || delivery.OrgId != orgId || delivery.Mode != mode)
            return new([], NotFound.Refusal(deliveryId, delivery, orgId, mode));
        if (delivery.IsLeased(clock.GetUtcNow()))
            return DeliveryResult.Refused(DeliveryInProgress, $"The delivery {deliveryId} is being attempted right now. Try again when the attempt has finished.", "id");
        if (await EndpointProblem(orgId, mode, delivery.EndpointId, ct) is { } refusal)
            // The id the caller sent is the delivery's: what is missing is not it but its endpoint.
            return new([], refusal.Code == Refusal.ResourceMissing
                ? new Refusal(EndpointDeleted, $"The delivery {deliveryId} was for the webhook endpoint {delivery.EndpointId}, which has been deleted, so it cannot be retried. Replay its event to another endpoint instead.", null)
                : refusal);

        MakeDue(delivery);
        session.Store(delivery);
        EventOutbox.QueueWake(session);
        session.Store(Audit(orgId, mode, actor, AuditActions.DeliveryRetried, "webhook_delivery", delivery.Id, delivery.EventType));
        await session.SaveChangesAsync(ct);
        return new([delivery], null);
    }

    /// <summary>Sends an event again as new deliveries: to one endpoint, or to every enabled endpoint that wants its type.</summary>
    public async Task<DeliveryResult> ReplayAsync(string orgId, Mode mode, string eventId, string? endpointId, AuditActor actor, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(eventId, WebhookEvent.IdPrefix)) return new([], NotFound.Refusal<WebhookEvent>(eventId));
        // Held until commit: event retention skips a locked event, so it cannot delete this one while
        // deliveries are added to it (and if it is deleting it right now, this waits and finds it gone).
        await session.LockRowAsync<WebhookEvent>(eventId, ct);
        var evt = await session.LoadAsync<WebhookEvent>(eventId, ct);
        if (evt is null || evt.OrgId != orgId || evt.Mode != mode)
            return new([], NotFound.Refusal(eventId, evt, orgId, mode));

        List<string> targets;
        if (endpointId is not null)
        {
            if (await EndpointProblem(orgId, mode, endpointId, ct, "endpoint_id") is { } refusal) return new([], refusal);
            targets = [endpointId];
        }
        else
        {
            var endpoints = await session.Query<WebhookEndpoint>().Where(e => e.OrgId == orgId && e.Mode == mode && e.Enabled && !e.Deleted).ToListAsync(ct);
            targets = endpoints.Where(e => e.Wants(evt.Type)).Select(e => e.Id).ToList();
        }

        var deliveries = targets.Select(target => EventOutbox.Enqueue(session, evt, target, DeliveryTriggers.Replay, clock)).ToList();
        var entry = Audit(orgId, mode, actor, AuditActions.EventReplayed, "event", evt.Id, evt.Type);
        entry.Changes.Add(new("endpoints", null, targets.Count == 0 ? "(none subscribed)" : string.Join(",", targets)));
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(deliveries, null);
    }

    /// <summary>Makes every dead-lettered delivery of an endpoint since <paramref name="since"/> due again (at most <see cref="MaxBulkRetry"/> per call).</summary>
    public async Task<DeliveryResult> RetryFailedAsync(string orgId, Mode mode, string endpointId, DateTimeOffset since, AuditActor actor, CancellationToken ct)
    {
        if (await EndpointProblem(orgId, mode, endpointId, ct) is { } refusal) return new([], refusal);
        var ids = await session.Query<WebhookDelivery>()
            .Where(d => d.OrgId == orgId && d.EndpointId == endpointId && d.Status == DeliveryStatus.Failed && d.CreatedAt >= since)
            .OrderBy(d => d.CreatedAt).Take(MaxBulkRetry).Select(d => d.Id).ToListAsync(ct);
        // Locked, then read again: event retention may have deleted some of them (with their event)
        // since the query, and storing one would write it back without its event. Failed deliveries
        // have no due time, so no worker claims them meanwhile; a single retry may have, hence the check.
        await session.LockRowsAsync<WebhookDelivery>(ids.ToList(), ct);
        var failed = (await session.LoadManyAsync<WebhookDelivery>(ct, ids))
            .Where(d => d.Status == DeliveryStatus.Failed).OrderBy(d => d.CreatedAt).ToList();
        foreach (var delivery in failed)
        {
            MakeDue(delivery);
            session.Store(delivery);
        }
        if (failed.Count > 0) EventOutbox.QueueWake(session);
        var entry = Audit(orgId, mode, actor, AuditActions.DeliveryRetried, "webhook_endpoint", endpointId, $"{failed.Count} failed since {Timestamps.Format(since)}");
        entry.Changes.Add(new("deliveries", null, failed.Count.ToString()));
        session.Store(entry);
        await session.SaveChangesAsync(ct);
        return new(failed, null);
    }

    /// <summary>
    /// One more attempt now; if it fails a finished delivery is dead-lettered again rather than
    /// starting the schedule over. A pending one is only brought forward and keeps the rest of its schedule.
    /// </summary>
    private void MakeDue(WebhookDelivery delivery)
    {
        var now = clock.GetUtcNow();
        delivery.SingleAttempt = delivery.SingleAttempt || delivery.Status != DeliveryStatus.Pending;
        delivery.Status = DeliveryStatus.Pending;
        delivery.NextAttemptAt = now;
        delivery.Trigger = DeliveryTriggers.ManualRetry;
        delivery.UpdatedAt = now;
        // A lease that ran out (its worker died or was cut off mid-attempt) is dropped, so that
        // worker, should it come back, finds its claim gone and records nothing over this retry.
        (delivery.LeaseToken, delivery.LeaseUntil) = (null, null);
    }

    private async Task<Refusal?> EndpointProblem(string orgId, Mode mode, string endpointId, CancellationToken ct, string param = "id")
    {
        var endpoint = Ids.IsWellFormed(endpointId, WebhookEndpoint.IdPrefix) ? await session.LoadAsync<WebhookEndpoint>(endpointId, ct) : null;
        if (endpoint is null || endpoint.OrgId != orgId || endpoint.Mode != mode || endpoint.Deleted)
            return NotFound.Refusal(endpointId, endpoint is { Deleted: false } ? endpoint : null, orgId, mode, param);
        if (!endpoint.Enabled)
            return new Refusal(EndpointDisabled, $"The webhook endpoint {endpointId} is disabled. Enable it first, then retry.", param);
        return null;
    }

    private AuditEntry Audit(string orgId, Mode mode, AuditActor actor, string action, string targetType, string targetId, string label) =>
        AuditEntry.For(orgId, mode, actor, action, targetType, targetId, label, clock);
}
