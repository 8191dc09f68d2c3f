using Nexus.Web.Infrastructure.Errors;

namespace Nexus.Web.Infrastructure.Http;

/// <summary>
/// Refuses a query string or dashboard form that holds U+0000 (see <see cref="NulCharacter"/>) before
/// anything binds or stores it: the API with <c>parameter_invalid</c> naming the parameter, the
/// dashboard with a bare 400 (a browser never sends one; a page navigation gets the bad-request page).
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
                // Past the form limits (values, lengths): no dashboard form comes near them.
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            if (NulCharacter.FirstIn(form) is not null)
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }
        await next(ctx);
    }

    private static void Refuse(HttpContext ctx, string param)
    {
        if (ctx.Request.IsApi()) throw new ApiException(ErrorCatalog.ParameterInvalid, $"{param} {NulCharacter.Rule}.", param);
        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
