using Nexus.Shared.Common;
using Nexus.Shared.Keys;
using Nexus.Shared.RequestLogs;

namespace Nexus.Shared.Tests.RequestLogs;

public sealed class BodyRedactorTests
{
    [Theory]
    [InlineData(KeyKind.Secret, Mode.Live)]
    [InlineData(KeyKind.Secret, Mode.Test)]
    [InlineData(KeyKind.Publishable, Mode.Live)]
    public void Api_keys_anywhere_in_the_text_are_masked_but_a_bare_prefix_stays(KeyKind kind, Mode mode)
    {
        var key = KeyFormat.Generate(kind, mode);
        KeyFormat.TryParse(key, out var parsed);

        var redacted = BodyRedactor.Redact($$"""{"note":"my key is {{key}}, prefix {{parsed.Prefix}}"}""");

        Assert.DoesNotContain(key, redacted);
        Assert.Contains("[redacted]", redacted);
        Assert.Contains("prefix " + parsed.Prefix, redacted);
    }

    [Theory]
    [InlineData("""{"password":"hunter2"}""", """{"password":"[redacted]"}""")]
    [InlineData("""{"Secret": "whatever \"quoted\" here", "name":"ok"}""", """{"Secret": "[redacted]", "name":"ok"}""")]
    [InlineData("""{"token":12345}""", """{"token":"[redacted]"}""")]
    [InlineData("""{"signing_secret":"whsec_abcdefghijklmnop"}""", """{"signing_secret":"[redacted]"}""")]
    [InlineData("""{"title":"whsec_abcdefghijklmnop"}""", """{"title":"[redacted]"}""")]
    [InlineData("""{"title":"plain","tags":["a"]}""", """{"title":"plain","tags":["a"]}""")]
    public void Secret_fields_and_webhook_secrets_are_masked_and_the_rest_is_kept(string body, string expected)
    {
        Assert.Equal(expected, BodyRedactor.Redact(body));
    }

    [Fact]
    public void Long_bodies_are_cut_to_eight_kilobytes()
    {
        var redacted = BodyRedactor.Redact(new string('x', 20_000));

        Assert.Equal(BodyRedactor.MaxChars + 1, redacted.Length);
        Assert.EndsWith("…", redacted);
    }
}
