using System.Linq.Expressions;
using Marten;

namespace Nexus.Shared.Common;

/// <summary>A document that belongs to one org and one mode: what an API object id names.</summary>
public interface IModeScoped
{
    string Id { get; }
    string OrgId { get; }
    Mode Mode { get; }

    /// <summary>What messages call it: "note", "API key", "webhook endpoint".</summary>
    static abstract string Noun { get; }
}

/// <summary>
/// The one answer for an object id the caller cannot see, in Stripe's words:
/// <c>No such note: 'note_…'.</c> Another org's object, a missing one and a malformed id read
/// alike. The one thing said beyond that is the commonest cause of a 404, a mode mix-up: when the
/// caller's own org has the id in the other mode, the message says so and which key was used.
/// Nothing is looked up for it unless the answer is already a 404.
/// </summary>
public static class NotFound
{
    /// <summary>For an id that cannot name a <typeparamref name="T"/> at all (malformed, another type's prefix).</summary>
    public static string Message<T>(string id) where T : IModeScoped => Subject<T>(id) + ".";

    /// <summary>
    /// For an id that was loaded (<paramref name="loaded"/>, null when nothing has it) and is not
    /// <paramref name="orgId"/>'s in <paramref name="mode"/>. Ids are unique across orgs and modes,
    /// so what was loaded already says whether the org has it in the other mode: no query.
    /// </summary>
    public static string Message<T>(string id, T? loaded, string orgId, Mode mode) where T : class, IModeScoped =>
        loaded is not null && loaded.OrgId == orgId && loaded.Mode != mode ? Subject<T>(id) + Hint(mode) : Message<T>(id);

    public static Refusal Refusal<T>(string id, string? param = "id") where T : IModeScoped =>
        new(Common.Refusal.ResourceMissing, Message<T>(id), param);

    public static Refusal Refusal<T>(string id, T? loaded, string orgId, Mode mode, string? param = "id") where T : class, IModeScoped =>
        new(Common.Refusal.ResourceMissing, Message(id, loaded, orgId, mode), param);

    /// <summary>
    /// For a well-formed id that a lookup scoped to <paramref name="orgId"/> and <paramref name="mode"/>
    /// did not find, so nothing loaded says why: one query, scoped to the same org and the other
    /// mode, decides the hint. <paramref name="exists"/> narrows what counts (a deleted webhook
    /// endpoint does not). No mode (a dashboard page over both) means no hint and no query.
    /// </summary>
    public static async Task<Refusal> RefusalAsync<T>(IQuerySession session, string orgId, Mode? mode, string id, CancellationToken ct,
        string? param = "id", Expression<Func<T, bool>>? exists = null) where T : IModeScoped
    {
        if (mode is not { } callerMode) return Refusal<T>(id, param);
        var other = callerMode == Mode.Live ? Mode.Test : Mode.Live;
        var query = session.Query<T>().Where(d => d.Id == id && d.OrgId == orgId && d.Mode == other);
        if (exists is not null) query = query.Where(exists);
        var message = await query.AnyAsync(ct) ? Subject<T>(id) + Hint(callerMode) : Message<T>(id);
        return new(Common.Refusal.ResourceMissing, message, param);
    }

    private static string Subject<T>(string id) where T : IModeScoped => $"No such {T.Noun}: '{Echo.Clip(id)}'";

    private static string Hint(Mode caller) => caller == Mode.Test
        ? "; a similar object exists in live mode, but a test mode key was used to make this request."
        : "; a similar object exists in test mode, but a live mode key was used to make this request.";
}
