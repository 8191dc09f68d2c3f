using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Nexus.Shared.Accounts;
using Nexus.Shared.Common;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;
using Nexus.Shared.Store;
using UserAccount = Nexus.Shared.Accounts.User;

namespace Nexus.Web.Dashboard.Accounts.Signup;

/// <summary>Creates an org, its owner and the membership in one transaction, then signs the owner in.</summary>
public sealed class Submit(IDocumentSession session, IPasswordHasher<User> hasher, TimeProvider clock) : Endpoint<SignupForm>
{
    private const string EmailTaken = "An account with this email already exists. Log in instead.";

    public override void Configure()
    {
        Post("/signup");
        Group<DashboardGroup>();
        AllowAnonymous();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(SignupForm form, CancellationToken ct)
    {
        var email = UserAccount.NormalizeEmail(form.Email ?? "");
        var orgName = (form.OrgName ?? "").Trim();

        var errors = new FormErrors();
        if (SignupRules.EmailProblem(email) is { } emailProblem) errors.Add("email", emailProblem);
        if (SignupRules.PasswordProblem(form.Password, email) is { } passwordProblem) errors.Add("password", passwordProblem);
        if (SignupRules.OrgNameProblem(orgName) is { } orgProblem) errors.Add("org_name", orgProblem);
        if (!errors.Any && await session.Query<UserAccount>().AnyAsync(u => u.Email == email, ct))
            errors.Add("email", EmailTaken);
        if (errors.Any)
        {
            await Send.ResultAsync(RazorView.Page(SignupPage.View, new SignupPage(form.Email ?? "", orgName, errors), 422));
            return;
        }

        var now = clock.GetUtcNow();
        var org = new Organization { Id = Ids.New("org", clock), Name = orgName, Plan = Plan.Free, CreatedAt = now };
        var user = new User { Id = Ids.New("user", clock), Email = email, SecurityStamp = SecurityStamps.New(), CreatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, form.Password!);
        session.Store(org);
        session.Store(user);
        session.Store(new Membership { Id = Ids.New("mem", clock), OrgId = org.Id, UserId = user.Id, Role = Role.Owner, CreatedAt = now });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (PostgresErrors.IsUniqueViolation(e))
        {
            // Two signups raced for the same email; the unique index let only one through.
            errors.Add("email", EmailTaken);
            await Send.ResultAsync(RazorView.Page(SignupPage.View, new SignupPage(form.Email ?? "", orgName, errors), 422));
            return;
        }

        var token = await DashboardSessions.OpenAsync(HttpContext, session, user, clock, ct);
        await HttpContext.SignInAsync(DashboardAuth.Scheme, DashboardMember.Principal(user, org, token));
        await Send.RedirectAsync(ReturnUrls.Default);
    }
}
