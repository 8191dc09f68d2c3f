using System.Net;
using Marten;
using Nexus.Shared.Accounts;
using Nexus.Shared.Audit;
using static Nexus.Web.Tests.Dashboard.Account.TwoFactorSteps;

namespace Nexus.Web.Tests.Dashboard.Account;

public sealed class RecoveryCodeUseTests(ClockedApp<RecoveryCodeUseTests> app) : IClassFixture<ClockedApp<RecoveryCodeUseTests>>
{
    private async Task<(DashboardClient Client, string Email, string OrgId, string Secret, IReadOnlyList<string> Codes)> EnrolledAsync()
    {
        var client = DashboardClient.For(app);
        var email = await client.SignUpNewAsync();
        var (secret, codes) = await client.EnableTwoFactorAsync(app.Clock);
        return (client, email, (await app.Store.OrgOfAsync(app.Services, email)).Org.Id, secret, codes);
    }

    /// <summary>Every stored audit entry of the org as its JSON, to look for a code anywhere in it.</summary>
    private async Task<string> AllAuditJsonAsync(string orgId)
    {
        await using var session = app.Store.QuerySession();
        var ids = await session.Query<AuditEntry>().Where(e => e.OrgId == orgId).Select(e => e.Id).ToListAsync();
        var json = new List<string>();
        foreach (var id in ids) json.Add((await session.Json.FindByIdAsync<AuditEntry>(id))!);
        return string.Join('\n', json);
    }

    [Fact]
    public async Task A_recovery_code_used_at_login_is_audited_with_how_many_remain_and_never_the_code()
    {
        var (client, email, orgId, _, codes) = await EnrolledAsync();
        await client.LogOutAsync();
        var login = DashboardClient.For(app);
        await login.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await login.EnterCodeAsync("zzzzz-zzzzz")).StatusCode);
        Assert.Empty(await app.Store.AuditOfAsync(orgId, AuditActions.RecoveryCodeUsed)); // a wrong one is no use

        Assert.Equal(HttpStatusCode.Redirect, (await login.EnterCodeAsync(codes[2])).StatusCode);

        var used = await app.Store.AuditOfAsync(orgId, AuditActions.RecoveryCodeUsed);
        Assert.Equal(2, used.Count); // one per mode
        Assert.All(used, e => Assert.Equal((email, "user", "recovery_codes_left", "10", "9"),
            (e.ActorLabel, e.TargetType, e.Changes.Single().Field, e.Changes.Single().Before, e.Changes.Single().After)));
        var json = await AllAuditJsonAsync(orgId);
        Assert.All(codes, c =>
        {
            Assert.DoesNotContain(c, json);
            Assert.DoesNotContain(c.Replace("-", ""), json);
        });
        Assert.Contains("9 of 10 recovery codes left", await login.Http.GetStringAsync("/account"));
    }

    [Fact]
    public async Task A_recovery_code_used_on_the_account_page_is_audited_in_each_of_the_users_orgs()
    {
        var (client, email, orgId, _, codes) = await EnrolledAsync();
        var other = await app.CreateOrgAsync("Second Co");
        await using (var session = app.Store.LightweightSession())
        {
            var user = await session.Query<User>().SingleAsync(u => u.Email == email);
            session.Store(new Membership { Id = Nexus.Shared.Common.Ids.New("mem"), OrgId = other.Org.Id, UserId = user.Id, Role = Role.Developer, CreatedAt = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
        }

        var regenerate = await client.PostAccountAsync("/account/2fa/recovery-codes", ("code", codes[0]));

        Assert.Equal(HttpStatusCode.OK, regenerate.StatusCode);
        foreach (var org in new[] { orgId, other.Org.Id })
        {
            var used = await app.Store.AuditOfAsync(org, AuditActions.RecoveryCodeUsed);
            Assert.Equal(2, used.Count);
            Assert.All(used, e => Assert.Equal(("10", "9"), (e.Changes.Single().Before, e.Changes.Single().After)));
            Assert.Equal(2, (await app.Store.AuditOfAsync(org, AuditActions.RecoveryCodesRegenerated)).Count);
            Assert.DoesNotContain(codes[0], await AllAuditJsonAsync(org));
        }
    }

    [Fact]
    public async Task A_current_code_instead_of_a_recovery_code_is_not_recorded_as_one()
    {
        var (client, _, orgId, secret, _) = await EnrolledAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAccountAsync("/account/2fa/recovery-codes", ("code", CodeAt(secret, app.Clock)))).StatusCode);

        Assert.Empty(await app.Store.AuditOfAsync(orgId, AuditActions.RecoveryCodeUsed));
    }

    [Fact]
    public async Task The_account_page_shows_the_codes_left_and_suggests_new_ones_at_three_or_fewer()
    {
        var (client, email, _, _, codes) = await EnrolledAsync();
        var page = await client.Http.GetStringAsync("/account");
        Assert.Contains("10 of 10 recovery codes left", page);
        Assert.DoesNotContain("id=\"recovery-codes-low\"", page);

        // Four left: no warning yet.
        await using (var session = app.Store.LightweightSession())
        {
            var user = await session.Query<User>().SingleAsync(u => u.Email == email);
            user.RecoveryCodeHashes = codes.Take(4).Select(RecoveryCodes.Hash).ToList();
            session.Store(user);
            await session.SaveChangesAsync();
        }
        page = await client.Http.GetStringAsync("/account");
        Assert.Contains("4 of 10 recovery codes left", page);
        Assert.DoesNotContain("id=\"recovery-codes-low\"", page);

        // One used on the page (making new ones would reset the count, so log in with it instead).
        await client.LogOutAsync();
        var again = DashboardClient.For(app);
        await again.LogInAsync(email, DashboardClient.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await again.EnterCodeAsync(codes[0])).StatusCode);

        page = System.Net.WebUtility.HtmlDecode(await again.Http.GetStringAsync("/account"));
        Assert.Contains("3 of 10 recovery codes left", page);
        Assert.Contains("Only 3 recovery codes left.", page);
        Assert.Contains("Make new ones below", page);
    }
}
