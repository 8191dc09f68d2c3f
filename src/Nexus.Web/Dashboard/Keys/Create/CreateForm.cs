using Nexus.Shared.Keys;
using Nexus.Web.Dashboard.Shared;

namespace Nexus.Web.Dashboard.Keys.Create;

/// <summary>The create-key form as posted.</summary>
public sealed class CreateForm
{
    public string? Name { get; set; }

    /// <summary><c>test</c> or <c>live</c>.</summary>
    public string? Mode { get; set; }
}

/// <summary>
/// The create-key panel: the form (with typed values and messages after a failed submit) and,
/// right after a key is made, its plaintext. That one response is the only place it ever appears.
/// </summary>
public sealed record CreatePanel(string Name, string Mode, FormErrors Errors, ApiKey? Created = null, string? Plaintext = null)
{
    public const string View = "~/Dashboard/Keys/Create/_CreatePanel.cshtml";
    public const int MaxNameLength = 60;
    public static CreatePanel Empty => new("", "test", new FormErrors());
}
