namespace Nexus.Shared.Accounts;

/// <summary>
/// One ASP.NET Core data-protection key (the keys behind the dashboard's session cookies and
/// antiforgery tokens), as the framework hands it over: XML, its secret sealed with
/// <see cref="Webhooks.SecretBox"/> in a <c>secretBox</c> element. Stored here so every web node
/// shares one ring; the worker re-seals it when the secret key is rotated.
/// </summary>
public sealed class DataProtectionKeyDocument
{
    /// <summary>The framework's name for it (<c>key-{guid}</c>).</summary>
    public string Id { get; set; } = "";

    public string Xml { get; set; } = "";

    /// <summary>The element the sealed secret is stored in.</summary>
    public const string SealedElement = "secretBox";
}
