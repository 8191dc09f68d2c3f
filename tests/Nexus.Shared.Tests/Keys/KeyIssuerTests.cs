using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeyIssuerTests
{
    private static readonly KeyHasher Hasher = new("test-pepper-0123456789abcdef");

    [Theory]
    [InlineData(KeyKind.Secret, Mode.Test)]
    [InlineData(KeyKind.Secret, Mode.Live)]
    [InlineData(KeyKind.Publishable, Mode.Live)]
    public void An_issued_key_keeps_only_the_hash_and_the_display_prefix_of_its_plaintext(KeyKind kind, Mode mode)
    {
        var (key, plaintext) = KeyIssuer.Issue(Hasher, TimeProvider.System, "org_1", "Production", kind, mode, "user_1");

        Assert.True(KeyFormat.TryParse(plaintext, out var parsed));
        Assert.Equal((kind, mode), (parsed.Kind, parsed.Mode));
        Assert.Equal(Hasher.Hash(plaintext), key.KeyHash);
        Assert.Equal(parsed.Prefix, key.Prefix);
        Assert.StartsWith(key.Prefix, plaintext);
        Assert.True(key.Prefix.Length < plaintext.Length - KeyFormat.RandomLength / 2);
        Assert.Equal((kind, mode, "org_1", "Production", "user_1"), (key.Kind, key.Mode, key.OrgId, key.Name, key.CreatedByUserId));
        Assert.True(Ids.IsWellFormed(key.Id, "key"));
        Assert.Null(key.RevokedAt);
    }

    [Fact]
    public void No_field_of_the_stored_document_holds_the_plaintext()
    {
        var (key, plaintext) = KeyIssuer.Issue(Hasher, TimeProvider.System, "org_1", "n", KeyKind.Secret, Mode.Test, "user_1");

        var json = System.Text.Json.JsonSerializer.Serialize(key);
        Assert.DoesNotContain(plaintext, json);
        Assert.DoesNotContain(plaintext[key.Prefix.Length..], json);
    }

    [Fact]
    public void The_creation_time_comes_from_the_clock_given()
    {
        var at = DateTimeOffset.Parse("2030-01-02T03:04:05Z");
        var (key, _) = KeyIssuer.Issue(Hasher, new Support.ManualClock(at), "org_1", "n", KeyKind.Secret, Mode.Test, "user_1");

        Assert.Equal(at, key.CreatedAt);
    }
}
