using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Accounts;
using Nexus.Web.Infrastructure.Auth;

namespace Nexus.Web.Dashboard.Team.Switch;

public sealed class SwitchRequest
{
    [BindFrom("org_id")]
    public string? OrgId { get; set; }
}

/// <summary>Switches the session to another org the user belongs to; an org they are not in is a 404 like one that does not exist.</summary>
public sealed class Endpoint(IDocumentSession session) : Endpoint<SwitchRequest>
{
    public override void Configure()
    {
        Post("/orgs/switch");
        Group<DashboardGroup>();
        Options(b => b.OpenWhileHeld());
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(SwitchRequest req, CancellationToken ct)
    {
        var member = HttpContext.Member();
        var org = Ids.IsWellFormed(req.OrgId, "org")
            && await session.Query<Membership>().AnyAsync(m => m.UserId == member.User.Id && m.OrgId == req.OrgId, ct)
                ? await session.LoadAsync<Organization>(req.OrgId!, ct)
                : null;
        if (org is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        await OrgSessions.SignInAsync(HttpContext, session, member.User, org, ct);
        await Send.RedirectAsync(ReturnUrls.Default);
    }
}
