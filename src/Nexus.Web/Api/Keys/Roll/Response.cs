using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Nexus.Web.Api.Keys.Roll;

/// <summary>The new key, with its secret (shown only here), and the key it replaces.</summary>
public sealed class Response : KeyWithSecret
{
    public Response() { }

    [SetsRequiredMembers]
    public Response(KeyObject key, string secret, KeyObject previous) : base(key, secret) => PreviousKey = previous;

    /// <summary>The rolled key: its <c>grace_ends_at</c> says when it stops working, its <c>rolled_to</c> names the new key.</summary>
    [JsonPropertyOrder(2)]
    public required KeyObject PreviousKey { get; init; }
}
