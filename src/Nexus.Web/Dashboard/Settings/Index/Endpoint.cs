using FastEndpoints;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Workers;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Settings.Index;

public sealed class Endpoint(IQuerySession session, TimeProvider clock) : EndpointWithoutRequest
{
    private const int WorkersShown = 20;

    public override void Configure()
    {
        Get("/settings");
        Group<DashboardGroup>();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var member = HttpContext.Member();
        var memberships = await session.Query<Membership>().Where(m => m.OrgId == member.Org.Id).ToListAsync(ct);
        var users = (await session.LoadManyAsync<User>(ct, memberships.Select(m => m.UserId).ToArray())).ToDictionary(u => u.Id);
        var members = memberships
            .Where(m => users.ContainsKey(m.UserId))
            .Select(m => new MemberRow(users[m.UserId].Email, m.Role, m.CreatedAt, m.UserId == member.User.Id))
            .OrderByDescending(m => m.Role).ThenBy(m => m.Email)
            .ToList();
        var workers = await session.Query<WorkerHeartbeat>()
            .OrderByDescending(h => h.LastSeenAt)
            .Take(WorkersShown)
            .ToListAsync(ct);

        await Send.ResultAsync(RazorView.Page("~/Dashboard/Settings/Index/Index.cshtml",
            new SettingsPage(member.Org, PlanLimits.For(member.Org.Plan), members, workers, clock.GetUtcNow(),
                member.Membership.Role is Role.Owner or Role.Admin)));
    }
}
