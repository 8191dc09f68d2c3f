using System.Globalization;
using FastEndpoints;
using Marten;
using Marten.Patching;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.RequestLogs;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.LogRetention;

/// <summary>The retention form as posted.</summary>
public sealed class RetentionForm
{
    /// <summary>One of <see cref="RequestLogRetention.ChoicesInDays"/>, as typed (a string, so a non-number is our 400, not the binder's).</summary>
    public string? Days { get; set; }
}

/// <summary>
/// Sets how many days the org's request logs are kept (both modes): the worker's retention job
/// deletes older ones on its next run. Owners and admins only; audited in each mode.
/// </summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<RetentionForm>
{
    public override void Configure()
    {
        Post("/settings/log-retention");
        Group<DashboardGroup>();
        Definition.PreProcessor<OrgAdminsOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(RetentionForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (!int.TryParse(form.Days, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || !RequestLogRetention.ChoicesInDays.Contains(days))
        {
            await Send.ResultAsync(Results.Text($"Choose one of {string.Join(", ", RequestLogRetention.ChoicesInDays)} days.", "text/plain; charset=utf-8", statusCode: 400));
            return;
        }

        var before = member.Org.RequestLogRetentionDays;
        if (days != before)
        {
            session.Patch<Organization>(member.Org.Id).Set(o => o.RequestLogRetentionDays, days);
            OrgChanges.Record(session, member, HttpContext.Actor(), AuditActions.OrgLogRetentionChanged,
                new AuditChange("request_log_retention_days", before.ToString(CultureInfo.InvariantCulture), days.ToString(CultureInfo.InvariantCulture)), clock);
            await session.SaveChangesAsync(ct);
        }
        await Send.RedirectAsync("/settings");
    }
}
