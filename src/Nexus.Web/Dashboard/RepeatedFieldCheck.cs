using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;
using Microsoft.AspNetCore.Http.Features;
using Nexus.Web.Infrastructure.Http;

namespace Nexus.Web.Dashboard;

/// <summary>
/// Refuses a dashboard form that sends a one-value field more than once. A page never does (only a
/// hand-made request can), and FastEndpoints would bind the values joined with commas:
/// <c>name=Rack&amp;name=2</c> stored a key named "Rack,2", a value nobody typed. Fields bound to a
/// list (ticked checkboxes such as a key's scopes or an endpoint's events) repeat as they should.
/// The answer is the 400 whose <see cref="NulCharacterGuard.MessageHeader"/> the page's toast shows.
/// </summary>
public sealed class RepeatedFieldCheck : IGlobalPreProcessor
{
    public const string Message = "A field of this form was sent more than once. Reload the page and try again.";

    /// <summary>Per request type, the form names (as bound, any case) of its properties that take one value.</summary>
    private static readonly ConcurrentDictionary<Type, HashSet<string>> SingleValued = new();

    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        // Only a form already read: NulCharacterGuard reads every dashboard form a POST sends (and answers
        // one that cannot be read), so reading here could only meet a body no endpoint binds from.
        if (http.ResponseStarted() || http.Features.Get<IFormFeature>()?.Form is not { } form
            || http.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>()?.ReqDtoType is not { } type)
            return;
        var single = SingleValued.GetOrAdd(type, NamesOfSingleValues);
        foreach (var (name, values) in form)
        {
            if (values.Count < 2 || !single.Contains(name)) continue;
            http.Response.Headers[NulCharacterGuard.MessageHeader] = Message;
            await Results.Text(Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }
    }

    private static HashSet<string> NamesOfSingleValues(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && (p.PropertyType == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(p.PropertyType)))
            .Select(p => p.GetCustomAttribute<BindFromAttribute>()?.Name ?? p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
