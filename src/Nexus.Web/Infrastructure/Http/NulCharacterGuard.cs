using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Refuses a query string or dashboard form that holds U+0000 (see <see cref="NulCharacter"/>) before
/// anything binds or stores it: the API with <c>parameter_invalid</c> naming the parameter, the
/// dashboard with a 400 whose <see cref="MessageHeader"/> the page's toast shows (a page navigation gets the bad-request page).
/// </summary>
public sealed class NulCharacterGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        // A NUL can only arrive percent-encoded (Kestrel refuses the raw byte), so most requests pass on one scan.
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true && NulCharacter.FirstIn(request.Query) is { } param)
        {
            Refuse(ctx, param);
            return;
        }
        if (!request.IsApi() && request.HasFormContentType && !HttpMethods.IsGet(request.Method))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ctx.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // ASP.NET's form reader refuses both a control character such as U+0000 ("The form value
                // contains invalid characters") and a form past its limits (no dashboard form comes near
                // them); only the exception's text tells them apart, so the message names both.
                RefuseForm(ctx, FormRefused);
                return;
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel's own refusals while the form is read: a body over the server's 1 MB (413), a
                // body shorter than its declared length. They were 500s.
                RefuseForm(ctx, FormRefused, e.StatusCode);
                return;
            }
            catch (IOException) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                // A multipart body that ends before its closing boundary. It was a 500.
                RefuseForm(ctx, FormRefused);
                return;
            }
            if (NulCharacter.FirstIn(form) is not null)
            {
                RefuseForm(ctx, FormRefused);
                return;
            }
        }
        await next(ctx);
    }

    /// <summary>
    /// The page's toast says what <see cref="MessageHeader"/> says (app.js), instead of taking the bare
    /// 400 for an expired form.
    /// </summary>
    private static void RefuseForm(HttpContext ctx, string message, int status = StatusCodes.Status400BadRequest)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.Headers[MessageHeader] = message;
    }

    public const string FormRefused =
        "A field holds a character that can't be saved (such as U+0000, NUL), or the form is larger than Nexus accepts. Check what you entered and try again.";

    /// <summary>A refusal's message for the dashboard's toast; plain ASCII text, never a value the request held.</summary>
    public const string MessageHeader = "X-Nexus-Message";

    private static void Refuse(HttpContext ctx, string param)
    {
        if (ctx.Request.IsApi()) throw new ApiException(ErrorCatalog.ParameterInvalid, $"{param} {NulCharacter.Rule}.", param);
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
