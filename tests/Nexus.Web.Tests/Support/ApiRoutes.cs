using Nexus.Shared.Keys;

namespace Nexus.Web.Tests.Support;

/// <summary>Every API route, with a body it would accept, so a test can try the same thing on all of them.</summary>
public static class ApiRoutes
{
    public static readonly (string Method, string Path)[] All =
    [
        ("GET", "/api/v1/notes"),
        ("POST", "/api/v1/notes"),
        ("GET", "/api/v1/notes/{id}"),
        ("PUT", "/api/v1/notes/{id}"),
        ("DELETE", "/api/v1/notes/{id}"),
        ("GET", "/api/v2/notes"),
        ("POST", "/api/v2/notes"),
        ("GET", "/api/v2/notes/{id}"),
    ];

    /// <summary>The scope each route declares with <c>Scopes(...)</c>: a key without it gets 403 naming it.</summary>
    public static readonly IReadOnlyDictionary<(string Method, string Path), string> Scopes = new Dictionary<(string, string), string>
    {
        [("GET", "/api/v1/notes")] = KeyScopes.ReadNotes,
        [("POST", "/api/v1/notes")] = KeyScopes.WriteNotes,
        [("GET", "/api/v1/notes/{id}")] = KeyScopes.ReadNotes,
        [("PUT", "/api/v1/notes/{id}")] = KeyScopes.WriteNotes,
        [("DELETE", "/api/v1/notes/{id}")] = KeyScopes.WriteNotes,
        [("GET", "/api/v2/notes")] = KeyScopes.ReadNotes,
        [("POST", "/api/v2/notes")] = KeyScopes.WriteNotes,
        [("GET", "/api/v2/notes/{id}")] = KeyScopes.ReadNotes,
    };

    public static string ScopeFor(string method, string path) => Scopes[(method, path)];

    public static TheoryData<string, string> AllRoutes() => Data(All);

    public static TheoryData<string, string> WriteRoutes() => Data(All.Where(r => r.Method is "POST" or "PUT"));

    /// <summary>A request to the route for note <paramref name="noteId"/>, with a valid body where the route takes one.</summary>
    public static HttpRequestMessage Request(string method, string path, string noteId, HttpContent? body = null) =>
        new(new HttpMethod(method), path.Replace("{id}", noteId)) { Content = body ?? ValidBody(method, path) };

    public static HttpContent? ValidBody(string method, string path) => (method, path) switch
    {
        ("POST" or "PUT", _) when path.StartsWith("/api/v1/") => NoteData.Json("""{"title":"Valid title","body":"Valid body"}"""),
        ("POST", _) => NoteData.Json("""{"content":"Valid content","tags":["valid"]}"""),
        _ => null,
    };

    private static TheoryData<string, string> Data(IEnumerable<(string Method, string Path)> routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in routes) data.Add(method, path);
        return data;
    }
}
