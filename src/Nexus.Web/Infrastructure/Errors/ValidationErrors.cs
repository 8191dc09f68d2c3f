using System.Text.Json;
using FluentValidation.Results;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>Turns FastEndpoints' validation and binding failures, and JSON errors, into the error object.</summary>
public static class ValidationErrors
{
    public static object Build(List<ValidationFailure> failures, HttpContext ctx, int status)
    {
        var first = failures[0];
        var param = string.IsNullOrEmpty(first.PropertyName) || first.PropertyName == "GeneralErrors"
            ? null
            : ParamName(first.PropertyName);
        // Absent, null and blank all mean "not given": parameter_missing. Every other rule is parameter_invalid.
        var code = first.ErrorCode is "NotEmptyValidator" or "NotNullValidator"
            ? ErrorCatalog.ParameterMissing
            : ErrorCatalog.ParameterInvalid;
        ctx.Response.StatusCode = code.Status;
        return ApiErrors.Build(ctx, code, Sentence(first.ErrorMessage), param);
    }

    /// <summary>"Title" → "title", "Metadata.Key" → "metadata.key".</summary>
    private static string ParamName(string property) =>
        string.Join('.', property.Split('.').Select(NexusJson.SnakeCase));

    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";

    public static async ValueTask<object?> DeserializeRequest(
        HttpRequest req, Type type, System.Text.Json.Serialization.JsonSerializerContext? _, CancellationToken ct)
    {
        object? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(req.Body, type, NexusJson.Options, ct);
        }
        catch (JsonException e)
        {
            throw Translate(e);
        }
        return value ?? throw new ApiException(ErrorCatalog.BodyInvalidJson, "The request body must be a JSON object.");
    }

    private static ApiException Translate(JsonException e)
    {
        var param = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
        var isSyntax = e.InnerException?.GetType().Name == "JsonReaderException";
        if (isSyntax || param is null)
            return new ApiException(ErrorCatalog.BodyInvalidJson,
                e.LineNumber is { } line
                    ? $"The request body is not valid JSON (line {line + 1}, position {e.BytePositionInLine + 1})."
                    : "The request body is not valid JSON.");

        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return new ApiException(ErrorCatalog.ParameterUnknown, $"Received unknown parameter: {param}.", param);

        return new ApiException(ErrorCatalog.ParameterInvalid, $"Invalid value for {param}: wrong type.", param);
    }
}
