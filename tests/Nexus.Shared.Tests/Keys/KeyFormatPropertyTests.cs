using System.Collections.Concurrent;
using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

/// <summary>
/// Properties of the key format over 100,000 generated keys (25,000 of each kind and mode): every
/// key parses back to its kind, mode and prefix, no two are alike, and every single-character
/// substitution (at a sampled position per key) and every truncation is rejected by the checksum
/// check, i.e. before any database query. CRC-32 catches every error confined to 32 consecutive
/// bits, and 6 base62 digits hold every 32-bit value, so these must hold for every key; the run
/// checks that the implementation really delivers it.
/// </summary>
public sealed class KeyFormatPropertyTests
{
    private const int KeysPerKindAndMode = 25_000;

    /// <summary>Replacement characters: the key alphabet, the separators, and a few that scanners and copy-paste produce.</summary>
    private const string Replacements = KeyFormat.Base62 + "_- .=+/";

    private static readonly Lazy<IReadOnlyList<(KeyKind Kind, Mode Mode, string Key)>> Keys = new(() =>
        (from kind in Enum.GetValues<KeyKind>()
         from mode in Enum.GetValues<Mode>()
         from i in Enumerable.Range(0, KeysPerKindAndMode)
         select (kind, mode, KeyFormat.Generate(kind, mode))).ToList());

    [Fact]
    public void One_hundred_thousand_generated_keys_all_parse_back_to_their_kind_mode_and_prefix()
    {
        Assert.Equal(100_000, Keys.Value.Count);
        var failures = new ConcurrentBag<string>();

        Parallel.ForEach(Keys.Value, k =>
        {
            if (!KeyFormat.TryParse(k.Key, out var parsed)) failures.Add($"{k.Key} does not parse");
            else if (parsed.Kind != k.Kind || parsed.Mode != k.Mode) failures.Add($"{k.Key} parsed as {parsed.Kind}/{parsed.Mode}");
            else if (parsed.Prefix != k.Key[..(KeyFormat.Header(k.Kind, k.Mode).Length + KeyFormat.VisibleRandomChars)]) failures.Add($"{k.Key} has prefix {parsed.Prefix}");
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void One_hundred_thousand_generated_keys_are_all_distinct_down_to_their_random_part()
    {
        var randomParts = Keys.Value.Select(k => k.Key[KeyFormat.Header(k.Kind, k.Mode).Length..][..KeyFormat.RandomLength]);

        Assert.Equal(Keys.Value.Count, Keys.Value.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Keys.Value.Count, randomParts.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_single_character_substitution_at_a_sampled_position_is_rejected()
    {
        var failures = new ConcurrentBag<string>();
        var positionsTried = new ConcurrentDictionary<int, bool>();

        Parallel.For(0, Keys.Value.Count, i =>
        {
            var key = Keys.Value[i].Key;
            // Deterministic per key, so a failure can be reproduced; over 100,000 keys every position is sampled many times.
            var position = (int)((uint)(i * 2654435761L) % (uint)key.Length);
            positionsTried[position] = true;
            foreach (var c in Replacements)
            {
                if (c == key[position]) continue;
                var changed = string.Concat(key.AsSpan(0, position), new ReadOnlySpan<char>(in c), key.AsSpan(position + 1));
                if (KeyFormat.TryParse(changed, out _)) failures.Add($"accepted {changed} (from {key}, position {position})");
            }
        });

        Assert.Empty(failures);
        var longest = Keys.Value.Max(k => k.Key.Length);
        Assert.Equal(Enumerable.Range(0, longest), positionsTried.Keys.Order());
    }

    [Fact]
    public void Every_truncation_of_every_key_is_rejected()
    {
        var failures = new ConcurrentBag<string>();

        Parallel.ForEach(Keys.Value, k =>
        {
            for (var length = 0; length < k.Key.Length; length++)
                if (KeyFormat.TryParse(k.Key[..length], out _)) failures.Add($"accepted {k.Key[..length]} (from {k.Key})");
        });

        Assert.Empty(failures);
    }
}
