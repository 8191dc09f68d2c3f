namespace Nexus.Shared.Common;

/// <summary>
/// Why an operation was refused (a key, a webhook endpoint, a delivery): an API error code, the
/// parameter at fault, and a message for people. The API turns it into the error object; the
/// dashboard shows the message.
/// </summary>
public sealed record Refusal(string Code, string Message, string? Param = null)
{
    public const string ParameterInvalid = "parameter_invalid";
    public const string ParameterMissing = "parameter_missing";
    public const string ResourceMissing = "resource_missing";
    public const string KeyLimitReached = "key_limit_reached";
    public const string KeyAlreadyRevoked = "key_already_revoked";
    public const string KeyNotActive = "key_not_active";
}
