using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using Nexus.Shared.Keys;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard;

/// <summary>Reads and arranges what a signed-up dashboard account owns, straight from the store.</summary>
public static class DashboardData
{
    /// <summary>The org a user signed up with, as a <see cref="TestOrg"/> (to add keys without the dashboard).</summary>
    public static async Task<TestOrg> OrgOfAsync(this IDocumentStore store, IServiceProvider services, string email)
    {
        await using var session = store.QuerySession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        var membership = await session.Query<Membership>().SingleAsync(m => m.UserId == user.Id);
        var org = (await session.LoadAsync<Organization>(membership.OrgId))!;
        return new TestOrg(services, org, user);
    }

    public static async Task SetRoleAsync(this IDocumentStore store, string email, Role role)
    {
        await using var session = store.LightweightSession();
        var user = await session.Query<User>().SingleAsync(u => u.Email == email);
        var membership = await session.Query<Membership>().SingleAsync(m => m.UserId == user.Id);
        membership.Role = role;
        session.Store(membership);
        await session.SaveChangesAsync();
    }

    public static async Task<Organization> LoadOrgAsync(this IDocumentStore store, string id)
    {
        await using var session = store.QuerySession();
        return (await session.LoadAsync<Organization>(id))!;
    }

    /// <summary>An org's audit entries of one action, in both modes.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> AuditOfAsync(this IDocumentStore store, string orgId, string action)
    {
        await using var session = store.QuerySession();
        return await session.Query<AuditEntry>().Where(e => e.OrgId == orgId && e.Action == action).ToListAsync();
    }

    public static async Task<ApiKey> KeyNamedAsync(this IDocumentStore store, string orgId, string name)
    {
        await using var session = store.QuerySession();
        return await session.Query<ApiKey>().SingleAsync(k => k.OrgId == orgId && k.Name == name);
    }

    public static async Task<IReadOnlyList<ApiKey>> KeysOfAsync(this IDocumentStore store, string orgId)
    {
        await using var session = store.QuerySession();
        return await session.Query<ApiKey>().Where(k => k.OrgId == orgId).ToListAsync();
    }
}
