using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeyScopesTests
{
    [Fact]
    public void A_write_scope_includes_its_read_scope_and_nothing_else()
    {
        var effective = KeyScopes.Effective([KeyScopes.WriteNotes], KeyKind.Secret);

        Assert.Equal([KeyScopes.ReadNotes, KeyScopes.WriteNotes], effective.Order());
    }

    [Fact]
    public void Admin_all_includes_every_scope()
    {
        var effective = KeyScopes.Effective([KeyScopes.AdminAll], KeyKind.Secret);

        Assert.Equal(KeyScopes.All.Select(s => s.Name).Order(), effective.Order());
    }

    [Fact]
    public void A_publishable_key_never_holds_a_write_scope_whatever_it_was_given()
    {
        var effective = KeyScopes.Effective([KeyScopes.AdminAll, KeyScopes.WriteNotes], KeyKind.Publishable);

        Assert.NotEmpty(effective);
        Assert.All(effective, s => Assert.StartsWith("read:", s));
        Assert.False(KeyScopes.Allows([KeyScopes.WriteNotes], KeyKind.Publishable, KeyScopes.WriteNotes));
        Assert.True(KeyScopes.Allows([KeyScopes.WriteNotes], KeyKind.Publishable, KeyScopes.ReadNotes));
    }

    [Fact]
    public void Unknown_scopes_grant_nothing()
    {
        Assert.Empty(KeyScopes.Effective(["read:everything", "admin", "write:"], KeyKind.Secret));
    }

    [Fact]
    public void A_new_secret_key_gets_everything_but_key_management_and_a_publishable_key_every_read()
    {
        Assert.DoesNotContain(KeyScopes.AdminAll, KeyScopes.DefaultFor(KeyKind.Secret));
        Assert.Contains(KeyScopes.WriteNotes, KeyScopes.DefaultFor(KeyKind.Secret));
        Assert.All(KeyScopes.DefaultFor(KeyKind.Publishable), s => Assert.True(KeyScopes.IsRead(s)));
        Assert.Contains(KeyScopes.ReadNotes, KeyScopes.DefaultFor(KeyKind.Publishable));
    }
}
