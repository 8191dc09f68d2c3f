using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeyFormatTests
{
    public static TheoryData<KeyKind, Mode, string> Headers => new()
    {
        { KeyKind.Secret, Mode.Live, "nx_live_" },
        { KeyKind.Secret, Mode.Test, "nx_test_" },
        { KeyKind.Publishable, Mode.Live, "nx_pk_live_" },
        { KeyKind.Publishable, Mode.Test, "nx_pk_test_" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void A_generated_key_has_its_header_and_parses_back_to_its_kind_and_mode(KeyKind kind, Mode mode, string header)
    {
        var key = KeyFormat.Generate(kind, mode);

        Assert.Equal(header, KeyFormat.Header(kind, mode));
        Assert.StartsWith(header, key);
        Assert.True(KeyFormat.TryParse(key, out var parsed));
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(mode, parsed.Mode);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void A_key_is_its_header_24_random_base62_characters_and_a_6_character_checksum(KeyKind kind, Mode mode, string header)
    {
        var key = KeyFormat.Generate(kind, mode);

        Assert.Equal(header.Length + 24 + 6, key.Length);
        Assert.All(key[header.Length..], c => Assert.Contains(c, KeyFormat.Base62));
        // 24 characters of a 62-letter alphabet: log2(62^24) ≈ 142.9 bits.
        Assert.True(KeyFormat.RandomLength * Math.Log2(KeyFormat.Base62.Length) >= 128);
    }

    [Fact]
    public void Keys_are_unique_and_use_the_whole_alphabet_over_many_draws()
    {
        var keys = Enumerable.Range(0, 20_000).Select(_ => KeyFormat.Generate(KeyKind.Secret, Mode.Live)).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k["nx_live_".Length..][..24]).Distinct().Count());
        var used = keys.SelectMany(k => k["nx_live_".Length..][..24]).ToHashSet();
        Assert.Equal(KeyFormat.Base62.Order(), used.Order());
    }

    [Fact]
    public void The_checksum_is_the_standard_crc32_in_base62_as_an_outside_scanner_computes_it()
    {
        // Computed independently (zlib's crc32 of the text before the checksum, base62, 6 digits).
        const string key = "nx_test_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji";

        Assert.True(KeyFormat.TryParse(key, out var parsed));
        Assert.Equal(Mode.Test, parsed.Mode);
    }

    [Fact]
    public void Any_single_character_change_fails_the_checksum()
    {
        var key = KeyFormat.Generate(KeyKind.Secret, Mode.Test);

        for (var i = 0; i < key.Length; i++)
            foreach (var c in KeyFormat.Base62 + "_-")
            {
                if (c == key[i]) continue;
                var changed = key[..i] + c + key[(i + 1)..];
                Assert.False(KeyFormat.TryParse(changed, out _), $"accepted {changed} (position {i})");
            }
    }

    [Fact]
    public void Swapping_two_neighbouring_characters_fails_the_checksum()
    {
        var key = KeyFormat.Generate(KeyKind.Secret, Mode.Live);

        for (var i = "nx_live_".Length; i < key.Length - 1; i++)
        {
            if (key[i] == key[i + 1]) continue;
            var swapped = key[..i] + key[i + 1] + key[i] + key[(i + 2)..];
            Assert.False(KeyFormat.TryParse(swapped, out _), $"accepted {swapped}");
        }
    }

    [Theory]
    [InlineData("nx_live_", "nx_test_")]
    [InlineData("nx_test_", "nx_live_")]
    [InlineData("nx_test_", "nx_pk_test_")]
    public void Moving_a_key_to_another_mode_or_kind_fails_the_checksum(string from, string to)
    {
        ModeNames.TryParse(from[3..^1], out var mode);
        var key = KeyFormat.Generate(KeyKind.Secret, mode);

        Assert.False(KeyFormat.TryParse(to + key[from.Length..], out _));
    }

    [Fact]
    public void Every_truncation_and_extension_fails()
    {
        var key = KeyFormat.Generate(KeyKind.Publishable, Mode.Test);

        for (var length = 0; length < key.Length; length++)
            Assert.False(KeyFormat.TryParse(key[..length], out _), $"accepted {key[..length]}");
        Assert.False(KeyFormat.TryParse(key + "0", out _));
        Assert.False(KeyFormat.TryParse("0" + key, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("garbage")]
    [InlineData("nx_")]
    [InlineData("nx_test_")]
    [InlineData("nx_prod_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji")]
    [InlineData("sk_test_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji")]
    [InlineData("NX_TEST_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji")]
    [InlineData("nx_test_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji ")]
    [InlineData(" nx_test_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji")]
    [InlineData("nx_test_AbCdEfGhIjKlMnOpQrStUvWx1vt3Ji\n")]
    [InlineData("nx_test_AbCdEfGhIjKlMnOpQrStUvW\u00e91vt3Ji")]
    [InlineData("nx_test_AbCdEfGhIjKlMnOpQrStUvW\uff581vt3Ji")]
    [InlineData("nx_test_AbCdEfGhIjKlMnOp-rStUvWx1vt3Ji")]
    public void Garbage_other_prefixes_and_padded_keys_fail(string? text)
    {
        Assert.False(KeyFormat.TryParse(text, out var parsed));
        Assert.Equal(default, parsed);
    }

    [Fact]
    public void An_overlong_input_fails_without_being_processed()
    {
        var key = KeyFormat.Generate(KeyKind.Secret, Mode.Test);

        Assert.False(KeyFormat.TryParse(key + new string('a', 100_000), out _));
        Assert.False(KeyFormat.TryParse("nx_test_" + new string('a', 57), out _));
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void The_display_prefix_is_the_header_and_six_random_characters_only(KeyKind kind, Mode mode, string header)
    {
        var key = KeyFormat.Generate(kind, mode);

        KeyFormat.TryParse(key, out var parsed);

        Assert.Equal(key[..(header.Length + 6)], parsed.Prefix);
        Assert.Equal(KeyFormat.VisibleRandomChars, parsed.Prefix.Length - header.Length);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void A_key_parses_where_it_stands_in_a_header(KeyKind kind, Mode mode, string header)
    {
        var key = KeyFormat.Generate(kind, mode);
        var authorization = $"Bearer {key}  ";

        Assert.True(KeyFormat.TryParse(authorization.AsSpan("Bearer ".Length).Trim(), out var parsed));
        Assert.Equal((kind, mode, key[..(header.Length + 6)]), (parsed.Kind, parsed.Mode, parsed.Prefix));
        Assert.False(KeyFormat.TryParse(authorization.AsSpan("Bearer ".Length), out _)); // the padding is not part of the key
        Assert.False(KeyFormat.TryParse(authorization.AsSpan("Bearer ".Length, key.Length - 1), out _));
    }
}
