using System.Text.Json;
using FluentValidation.Results;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Infrastructure.Errors;

/// <summary>Turns FastEndpoints' validation and binding failures, and JSON errors, into the error object.</summary>
public static partial class ValidationErrors
{
    public static object Build(List<ValidationFailure> failures, HttpContext ctx, int status)
    {
        var first = failures[0];
        // FastEndpoints' own report of JSON it could not read (its SerializerErrors field): in the API's
        // words, not System.Text.Json's, and under no parameter of that name.
        if (first.PropertyName == "SerializerErrors")
        {
            var unreadable = NamesLoneSurrogate(first.ErrorMessage)
                ? LoneSurrogate(null)
                : new ApiException(ErrorCatalog.BodyInvalidJson, "The request body is not valid JSON.");
            ctx.Response.StatusCode = unreadable.Error.Status;
            return ApiErrors.Build(ctx, unreadable.Error, unreadable.Message, null);
        }
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
            // Many HTTP clients send Content-Type: application/json on every request. On a GET, HEAD
            // or DELETE with no body that means nothing, and neither does it on a POST whose body is
            // optional (roll, revoke, replay…): bind the query and route as if it were absent.
            if (HttpMethods.IsGet(req.Method) || HttpMethods.IsHead(req.Method) || HttpMethods.IsDelete(req.Method)
                || req.HttpContext.GetEndpoint() is { } endpoint && !BodyDeclarationMiddleware.TakesJsonBody(endpoint))
            {
                var buffered = await ReadAllAsync(req.Body, ct);
                // JSON's own whitespace only is no body too.
                if (buffered.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0) return JsonSerializer.Deserialize("{}", type, NexusJson.Options);
                value = JsonSerializer.Deserialize(buffered, type, NexusJson.Options);
            }
            else value = await JsonSerializer.DeserializeAsync(req.Body, type, NexusJson.Options, ct);
        }
        catch (JsonException e)
        {
            throw Translate(e, type);
        }
        catch (InvalidOperationException e) when (IsLoneSurrogate(e))
        {
            // Where the reader meets it inside free-form data (an event's data), without a path.
            throw LoneSurrogate(null);
        }
        return value ?? throw NotAnObject();
    }

    /// <summary>A <c>\ud800</c> escape without its other half: valid JSON syntax, but no text (System.Text.Json's own message named UTF-16 internals).</summary>
    private static bool IsLoneSurrogate(Exception? e) => e is InvalidOperationException && NamesLoneSurrogate(e.Message);

    private static bool NamesLoneSurrogate(string message) => message.Contains("surrogate", StringComparison.OrdinalIgnoreCase);

    private static ApiException LoneSurrogate(string? param) => new(ErrorCatalog.BodyInvalidJson, param is null
        ? @"The request body is not valid JSON text: a string holds half of a UTF-16 surrogate pair (such as \ud800) without the other half."
        : $@"The request body is not valid JSON text: {param} holds half of a UTF-16 surrogate pair (such as \ud800) without the other half.", param);

    private static async Task<byte[]> ReadAllAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static ApiException Translate(JsonException e, Type type)
    {
        var param = e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
        // Checked first: System.Text.Json reports a string it cannot decode as a value of the wrong type.
        if (IsNotUtf8(e))
            return new ApiException(ErrorCatalog.BodyInvalidJson, param is null
                ? "The request body is not valid JSON: it holds bytes that are not UTF-8. Send JSON encoded as UTF-8."
                : $"The request body is not valid JSON: {param} holds bytes that are not UTF-8. Send JSON encoded as UTF-8.");

        if (IsLoneSurrogate(e.InnerException)) return LoneSurrogate(param);

        // Well-formed but deeper than NexusJson's MaxDepth: say so rather than point at a position that looks fine.
        if (e.InnerException?.GetType().Name == "JsonReaderException" && e.Message.StartsWith("The maximum configured depth", StringComparison.Ordinal))
            return new ApiException(ErrorCatalog.BodyInvalidJson,
                $"The request body is nested more than {NexusJson.Options.MaxDepth} levels deep{(param is null ? "" : $" (at {param})")}.", param);

        // An empty body (or only whitespace) on a route that needs one: say so, not "line 1, position 1".
        if (e.InnerException?.GetType().Name == "JsonReaderException" && e.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            return new ApiException(ErrorCatalog.BodyInvalidJson, "The request body is empty: this route takes a JSON object.");

        if (e.InnerException?.GetType().Name == "JsonReaderException")
            return new ApiException(ErrorCatalog.BodyInvalidJson,
                e.LineNumber is { } line
                    ? $"The request body is not valid JSON (line {line + 1}, position {e.BytePositionInLine + 1})."
                    : "The request body is not valid JSON.");

        // Well-formed JSON of the wrong type at the top ([], "text", 42): the body itself is the wrong value.
        if (param is null) return NotAnObject();

        if (e.Message.StartsWith(NulCharacter.Converter.Message, StringComparison.Ordinal))
        {
            // In a key (metadata's), the path ends with the key itself: name the object that holds it.
            if (param?.IndexOf('\0') is >= 0 and var at) param = param.LastIndexOf('.', at) is > 0 and var dot ? param[..dot] : null;
            return new ApiException(ErrorCatalog.ParameterInvalid, $"{param ?? "A string in the body"} {NulCharacter.Rule}.", param);
        }

        if (e.Message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            param = DuplicatePath(param, e.Message);
            return new ApiException(ErrorCatalog.BodyInvalidJson, param is null
                ? "The request body is not valid JSON: a field is given twice."
                : $"The request body is not valid JSON: {param} is given twice.", param);
        }

        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return new ApiException(ErrorCatalog.ParameterUnknown, $"Received unknown parameter: {param}.", param);

        return new ApiException(ErrorCatalog.ParameterInvalid, ExpectedJson.At(type, param) is { } expected
            ? $"{param} must be {expected}."
            : $"{param} has a value of the wrong type.", param);
    }

    /// <summary>
    /// The serializer's path stops at the free-form value (<c>data</c> of a custom event) when the repeated
    /// field is inside it, and names that field only in its message: <c>Duplicate property 'k' …</c>.
    /// </summary>
    private static string? DuplicatePath(string? path, string message)
    {
        var match = DuplicateName().Match(message);
        if (!match.Success) return path;
        var name = match.Groups[1].Value;
        if (path is null) return name;
        // Field names bind regardless of case, so {"title":…,"Title":…} is title twice: the path ends
        // in the second spelling, the message names the first. Report the field as it was first given.
        var dot = path.LastIndexOf('.');
        return path.AsSpan(dot + 1).Equals(name, StringComparison.OrdinalIgnoreCase) ? path[..(dot + 1)] + name : $"{path}.{name}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Duplicate property '([^']*)'")]
    private static partial System.Text.RegularExpressions.Regex DuplicateName();

    private static ApiException NotAnObject() => new(ErrorCatalog.BodyInvalidJson, "The request body must be a JSON object.");

    private static bool IsNotUtf8(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Text.DecoderFallbackException) return true;
        return false;
    }
}
