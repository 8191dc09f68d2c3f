using System.Net;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Shared.Accounts;
using Nexus.Web.Tests.Support;

namespace Nexus.Web.Tests.Dashboard.Accounts;

public sealed class SignupTests(NexusApp<SignupTests> app) : IClassFixture<NexusApp<SignupTests>>
{
    [Fact]
    public async Task Signup_creates_the_org_its_owner_and_signs_in()
    {
        var client = DashboardClient.For(app);
        var email = DashboardClient.NewEmail();

        var response = await client.SignUpAsync("  " + email.ToUpperInvariant() + " ", org: "Globex Corp");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/keys", response.Headers.Location?.OriginalString);
        var keysPage = await client.Http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.OK, keysPage.StatusCode);
        Assert.Contains("Globex Corp", await keysPage.Content.ReadAsStringAsync());

        await using var session = app.Store.QuerySession();
        var user = Assert.Single(await session.Query<User>().Where(u => u.Email == email).ToListAsync());
        var membership = Assert.Single(await session.Query<Membership>().Where(m => m.UserId == user.Id).ToListAsync());
        var org = await session.LoadAsync<Organization>(membership.OrgId);
        Assert.Equal(Role.Owner, membership.Role);
        Assert.Equal("Globex Corp", org!.Name);
        Assert.Equal(Plan.Free, org.Plan);
        Assert.NotEmpty(user.SecurityStamp);
        Assert.DoesNotContain(DashboardClient.Password, user.PasswordHash);
        var hasher = app.Services.GetRequiredService<IPasswordHasher<User>>();
        Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash, DashboardClient.Password));
    }

    [Fact]
    public async Task Signup_with_a_taken_email_shows_the_form_again_and_stores_nothing()
    {
        var email = DashboardClient.NewEmail();
        await DashboardClient.For(app).SignUpAsync(email, org: "First Org");

        var response = await DashboardClient.For(app).SignUpAsync(email.ToUpperInvariant(), org: "Second Org");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("An account with this email already exists.", html);
        Assert.Contains("value=\"Second Org\"", html);
        Assert.DoesNotContain(DashboardClient.Password, html);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("nexus_session=")));
        await using var session = app.Store.QuerySession();
        Assert.Equal(1, await session.Query<User>().CountAsync(u => u.Email == email));
        Assert.Equal(0, await session.Query<Organization>().CountAsync(o => o.Name == "Second Org"));
    }

    [Theory]
    [InlineData("short", "Use at least 10 characters.")]
    [InlineData("password123", "This password is too easy to guess.")]
    [InlineData("aaaaaaaaaaaaaaaa", "This password is too easy to guess.")]
    public async Task Signup_with_a_weak_password_shows_why_and_stores_nothing(string password, string message)
    {
        var email = DashboardClient.NewEmail();

        var response = await DashboardClient.For(app).SignUpAsync(email, password, org: "Weak Org");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, html);
        Assert.Contains($"value=\"{email}\"", html);
        Assert.DoesNotContain($"value=\"{password}\"", html);
        await AssertNothingStoredAsync(email);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("someone@localhost")]
    [InlineData("Name <name@example.com>")]
    public async Task Signup_with_a_bad_email_shows_why_and_stores_nothing(string email)
    {
        var response = await DashboardClient.For(app).SignUpAsync(email, org: "Bad Email Org");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Enter a valid email address", html);
        Assert.Contains("value=\"Bad Email Org\"", html);
        await using var session = app.Store.QuerySession();
        Assert.Equal(0, await session.Query<Organization>().CountAsync(o => o.Name == "Bad Email Org"));
    }

    [Theory]
    [InlineData("   ", "Enter the name of your organization.")]
    [InlineData("Acme\nInc", "Use letters, digits, spaces and punctuation only in the name: no line breaks, tabs or other control characters.")] // the same rule as renaming
    public async Task Signup_with_a_missing_or_unprintable_org_name_shows_why_and_stores_nothing(string org, string message)
    {
        var email = DashboardClient.NewEmail();

        var response = await DashboardClient.For(app).SignUpAsync(email, org: org);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        await AssertNothingStoredAsync(email);
    }

    private async Task AssertNothingStoredAsync(string email)
    {
        await using var session = app.Store.QuerySession();
        Assert.False(await session.Query<User>().AnyAsync(u => u.Email == User.NormalizeEmail(email)));
    }
}
