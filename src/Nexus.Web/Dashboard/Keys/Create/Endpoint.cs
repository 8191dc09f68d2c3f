using FastEndpoints;
using Htmx;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Shared;
using Nexus.Web.Infrastructure.Auth;
using Nexus.Web.Infrastructure.Views;

namespace Nexus.Web.Dashboard.Keys.Create;

/// <summary>
/// Makes a secret key, stores only its hash, and answers with the panel showing the plaintext
/// once. The table hears about it through the <c>keys-changed</c> event.
/// </summary>
public sealed class Endpoint(KeyManager keys) : Endpoint<CreateForm>
{
    public override void Configure()
    {
        Post("/keys");
        Group<DashboardGroup>();
        AllowFormData(urlEncoded: true);
    }

    public override async Task HandleAsync(CreateForm form, CancellationToken ct)
    {
        var name = (form.Name ?? "").Trim();
        var errors = new FormErrors();
        if (name.Length == 0) errors.Add("name", "Give the key a name, like “Production server”.");
        else if (name.Length > CreatePanel.MaxNameLength) errors.Add("name", $"Use at most {CreatePanel.MaxNameLength} characters.");
        if (!ModeNames.TryParse(form.Mode, out var mode)) errors.Add("mode", "Choose test or live.");
        if (errors.Any)
        {
            await Send.ResultAsync(RazorView.Fragment(CreatePanel.View,
                new CreatePanel(name, form.Mode ?? "test", errors), StatusCodes.Status422UnprocessableEntity));
            return;
        }

        var member = HttpContext.Member();
        var spec = new KeySpec(name, KeyKind.Secret, mode) { Scopes = KeyScopes.DefaultFor(KeyKind.Secret) };
        var result = await keys.CreateAsync(member.Org, spec, HttpContext.Actor(), ct);
        if (result.Problem is { } problem)
        {
            errors.Add(problem.Param ?? "name", problem.Message);
            await Send.ResultAsync(RazorView.Fragment(CreatePanel.View,
                new CreatePanel(name, form.Mode ?? "test", errors), StatusCodes.Status422UnprocessableEntity));
            return;
        }
        var (key, plaintext) = (result.Key!, result.Plaintext!);

        // The body holds a secret: no cache (browser, proxy or back button) may keep it.
        HttpContext.Response.Headers.CacheControl = "no-store";
        HttpContext.Response.Htmx(h => h.WithTrigger("keys-changed"));
        await Send.ResultAsync(RazorView.Fragment(CreatePanel.View,
            new CreatePanel("", mode.ToWire(), new FormErrors(), key, plaintext)));
    }
}
