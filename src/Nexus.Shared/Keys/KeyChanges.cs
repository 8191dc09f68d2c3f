using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Nexus.Shared.Keys;

/// <summary>
/// Announces key changes (revoke, roll, settings) to every web node with PostgreSQL
/// <c>NOTIFY</c>, so their in-memory key caches drop the key at once. The notification is queued
/// in the same transaction as the change: it goes out on commit, never for a rolled-back change.
/// The payload is the key's hash (what the caches are keyed by), never the key.
/// </summary>
public static class KeyChanges
{
    /// <summary>One channel per schema, so databases shared by several deployments (or test classes) do not hear each other.</summary>
    public static string Channel(string schema) =>
        "nx_keys_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..16];

    /// <summary>Payloads for an organization start with this; anything else is a key hash.</summary>
    public const string OrgPrefix = "org:";

    public static void QueueNotify(IDocumentSession session, ApiKey key) =>
        session.QueueSqlCommand("select pg_notify(?, ?)", Channel(session.DocumentStore.Options.DatabaseSchemaName), key.KeyHash);

    /// <summary>Announces a change to an organization that nodes cache (its plan), on the same channel.</summary>
    public static void QueueOrgNotify(IDocumentSession session, string orgId) =>
        session.QueueSqlCommand("select pg_notify(?, ?)", Channel(session.DocumentStore.Options.DatabaseSchemaName), OrgPrefix + orgId);
}
