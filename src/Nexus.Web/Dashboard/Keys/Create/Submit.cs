using Nexus.Shared.Accounts;
using FastEndpoints;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Keys.Reveal;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Create;

/// <summary>
/// Creates a key through <see cref="KeyManager"/> (limit, audit entry and hash only) and answers
/// with the panel showing the plaintext once; a refused form comes back as a 422 with each
/// message next to its field and the typed values kept.
/// </summary>
public sealed class Submit(KeyManager keys, PlanCatalog plans, TimeProvider clock) : Endpoint<CreateForm>
{
    public override void Configure()
    {
        Post("/keys");
        Group<DashboardGroup>();
        Definition.PreProcessor<KeyManagersOnly>(Order.After);
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CreateForm form, CancellationToken ct)
    {
        var org = HttpContext.Member().Org;
        var plan = plans.For(org.Plan);
        var errors = new FormErrors();
        var spec = form.ToSpec(plan, clock.GetUtcNow(), errors);
        if (spec is not null)
        {
            var result = await keys.CreateAsync(org, spec, HttpContext.Actor(), ct);
            if (result.Problem is { } problem) errors.Add(problem.Param ?? CreatePanel.FormField, problem.Message);
            else
            {
                await Send.ResultAsync(new NewKey(result.Key!, result.Plaintext!, null, clock.GetUtcNow()).Send(HttpContext));
                return;
            }
        }
        await Send.ResultAsync(RazorView.Fragment(CreatePanel.View, form.Echo(plan, errors), StatusCodes.Status422UnprocessableEntity));
    }
}
