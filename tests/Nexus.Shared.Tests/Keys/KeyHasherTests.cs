using Nexus.Shared.Common;
using Nexus.Shared.Keys;

namespace Nexus.Shared.Tests.Keys;

public sealed class KeyHasherTests
{
    private const string Pepper = "test-pepper-0123456789abcdef";

    [Fact]
    public void The_hash_is_hmac_sha256_of_the_key_under_the_pepper_in_lower_hex()
    {
        // Computed independently (Python's hmac module).
        var hash = new KeyHasher(Pepper).Hash("nx_test_AbCdEfGhIjKlMnOpQrStUvWx000000");

        Assert.Equal("be4b2f50d2aa2af4adf3031f33cb6253b8d1356861c414fb5525c2b455a03042", hash);
    }

    [Fact]
    public void A_key_hashed_where_it_stands_in_a_header_hashes_as_the_key_alone()
    {
        const string header = "Bearer nx_test_AbCdEfGhIjKlMnOpQrStUvWx000000 ";

        var hash = new KeyHasher(Pepper).Hash(header.AsSpan("Bearer ".Length).Trim());

        Assert.Equal("be4b2f50d2aa2af4adf3031f33cb6253b8d1356861c414fb5525c2b455a03042", hash);
        // Longer than any key, and not ASCII: still HMAC-SHA256 of its UTF-8 bytes.
        var odd = "ключ-" + new string('x', 80);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Pepper), System.Text.Encoding.UTF8.GetBytes(odd))), new KeyHasher(Pepper).Hash(odd));
    }

    [Fact]
    public void Hashing_is_deterministic_for_one_pepper_across_instances()
    {
        var key = KeyFormat.Generate(KeyKind.Secret, Mode.Live);

        Assert.Equal(new KeyHasher(Pepper).Hash(key), new KeyHasher(Pepper).Hash(key));
    }

    [Fact]
    public void Another_pepper_gives_another_hash()
    {
        var key = KeyFormat.Generate(KeyKind.Secret, Mode.Live);

        Assert.NotEqual(new KeyHasher(Pepper).Hash(key), new KeyHasher(Pepper + "x").Hash(key));
        Assert.NotEqual(new KeyHasher("A" + Pepper[1..]).Hash(key), new KeyHasher(Pepper).Hash(key));
    }

    [Fact]
    public void Different_keys_never_share_a_hash_and_no_hash_shows_its_key()
    {
        var hasher = new KeyHasher(Pepper);
        var keys = Enumerable.Range(0, 2_000).Select(_ => KeyFormat.Generate(KeyKind.Secret, Mode.Test)).ToList();

        var hashes = keys.Select(hasher.Hash).ToList();

        Assert.Equal(keys.Count, hashes.Distinct().Count());
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Matches("^[0-9a-f]{64}$", hashes[i]);
            Assert.DoesNotContain(keys[i]["nx_test_".Length..][..12], hashes[i], StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Hashers_of_two_peppers_taking_turns_on_one_thread_each_hash_with_their_own()
    {
        // Each thread reuses one keyed HMAC: a hasher must never get the one keyed by another's pepper.
        var first = new KeyHasher(Pepper);
        var second = new KeyHasher(Pepper + "-second");
        var keys = Enumerable.Range(0, 6).Select(_ => KeyFormat.Generate(KeyKind.Secret, Mode.Live)).ToList();

        foreach (var key in keys)
        {
            Assert.Equal(Independent(Pepper, key), first.Hash(key));
            Assert.Equal(Independent(Pepper + "-second", key), second.Hash(key));
        }
    }

    [Fact]
    public void Keys_hashed_on_many_threads_at_once_each_get_their_own_hash()
    {
        var hasher = new KeyHasher(Pepper);
        var keys = Enumerable.Range(0, 4_000).Select(_ => KeyFormat.Generate(KeyKind.Secret, Mode.Test)).ToArray();

        var hashes = new string[keys.Length];
        Parallel.For(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => hashes[i] = hasher.Hash(keys[i]));

        for (var i = 0; i < keys.Length; i++) Assert.Equal(Independent(Pepper, keys[i]), hashes[i]);
    }

    private static string Independent(string pepper, string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(pepper), System.Text.Encoding.UTF8.GetBytes(key)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("fifteen-chars!!")]
    public void A_missing_or_short_pepper_is_refused(string? pepper)
    {
        var error = Assert.Throws<ArgumentException>(() => new KeyHasher(pepper!));

        Assert.Equal("pepper", error.ParamName);
    }

    [Fact]
    public void A_pepper_of_16_characters_is_enough()
    {
        var hasher = new KeyHasher("sixteen-chars!!!");

        Assert.Matches("^[0-9a-f]{64}$", hasher.Hash("nx_test_x"));
    }
}
