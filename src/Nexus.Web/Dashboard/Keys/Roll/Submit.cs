using Nexus.Shared.Common;
using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Keys.Reveal;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Roll;

/// <summary>
/// Rolls a key through <see cref="KeyManager"/> and shows the successor once. A key that cannot
/// be rolled (revoked, expired, already rolled) gets the form back with the reason.
/// </summary>
public sealed class Submit(KeyManager keys, ApiKeyCache cache, TimeProvider clock) : Endpoint<RollForm>
{
    public override void Configure()
    {
        Post("/keys/{id}/roll");
        Group<DashboardGroup>();
        Definition.PreProcessor<KeyManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RollForm form, CancellationToken ct)
    {
        var orgId = HttpContext.Member().Org.Id;
        var id = Route<string>("id")!;
        var key = await keys.FindAsync(orgId, null, id, ct);
        if (key is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        if (!RollPanel.TryParseGrace(form.GraceMinutes, out var minutes))
        {
            await Refuse(key, RollPanel.DefaultGraceMinutes, "Choose when the old key stops working.");
            return;
        }

        var result = await keys.RollAsync(orgId, null, id, TimeSpan.FromMinutes(minutes), HttpContext.Actor(), ct);
        if (result.Problem is { } problem)
        {
            if (problem.Code == Refusal.ResourceMissing) await Send.NotFoundAsync(ct);
            else await Refuse(key, minutes, problem.Message);
            return;
        }
        // After the save: the old key's cached copy has no grace end yet (and a grace of "now" must bite at once).
        cache.Evict(result.Previous!.KeyHash);
        await Send.ResultAsync(new NewKey(result.Key!, result.Plaintext!, result.Previous, clock.GetUtcNow()).Send(HttpContext));
    }

    private Task Refuse(ApiKey key, int minutes, string message) =>
        Send.ResultAsync(RazorView.Fragment(RollPanel.View, new RollPanel(key, minutes, message), StatusCodes.Status422UnprocessableEntity));
}
