using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Common;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.DebugCapture;

/// <summary>The capture form as posted.</summary>
public sealed class CaptureForm
{
    /// <summary><c>start</c> or <c>stop</c>.</summary>
    public string? Action { get; set; }
}

/// <summary>
/// Turns on body capture in the request logs for <see cref="Duration"/> (or stops it early).
/// Owners and admins only; audited; announced with NOTIFY so every node starts or stops at once.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<CaptureForm>
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(15);

    public override void Configure()
    {
        Post("/settings/debug-capture");
        Group<DashboardGroup>();
        Definition.PreProcessor<OrgAdminsOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CaptureForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        DateTimeOffset? until = form.Action switch
        {
            "start" => clock.GetUtcNow() + Duration,
            "stop" => null,
            _ => DateTimeOffset.MinValue,
        };
        if (until == DateTimeOffset.MinValue)
        {
            await Send.ResultAsync(Results.Text("Choose start or stop.", "text/plain; charset=utf-8", statusCode: 400));
            return;
        }

        session.Patch<Organization>(member.Org.Id).Set(o => o.DebugCaptureUntil, until);
        OrgChanges.Record(session, member, HttpContext.Actor(), AuditActions.OrgDebugCaptureChanged,
            new AuditChange("debug_capture_until", Timestamps.Format(member.Org.DebugCaptureUntil), Timestamps.Format(until)), clock);
        await session.SaveChangesAsync(ct);
        await Send.RedirectAsync("/settings");
    }
}
