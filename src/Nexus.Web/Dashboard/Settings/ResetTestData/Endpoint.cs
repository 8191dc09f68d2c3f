using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Settings.ResetTestData;

/// <summary>The reset form as posted: the org's name typed again, as confirmation.</summary>
public sealed class ResetForm
{
    public string? Confirm { get; set; }
}

/// <summary>Deletes the org's test-mode data (see <see cref="TestDataReset"/>). Owners and admins only, confirmed by typing the org's name, audited.</summary>
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<ResetForm>
{
    public override void Configure()
    {
        Post("/settings/reset-test-data");
        Group<DashboardGroup>();
        Definition.PreProcessor<OrgAdminsOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(ResetForm form, CancellationToken ct)
    {
        var member = HttpContext.Member();
        if (!string.Equals(form.Confirm?.Trim(), member.Org.Name, StringComparison.Ordinal))
        {
            // Back to the form, which says what to type (a plain form post: the page, not a bare error, is the answer).
            await Send.RedirectAsync("/settings?reset=unconfirmed#reset-test-data");
            return;
        }
        await TestDataReset.ResetAsync(session, member.Org.Id, HttpContext.Actor(), clock, ct);
        await Send.RedirectAsync("/settings?reset=done");
    }
}
