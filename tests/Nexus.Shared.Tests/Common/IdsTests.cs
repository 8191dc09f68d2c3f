using System.Buffers.Binary;
using Nexus.Shared.Common;
using Nexus.Shared.Tests.Support;

namespace Nexus.Shared.Tests.Common;

public sealed class IdsTests
{
    private const string Crockford = "0123456789abcdefghjkmnpqrstvwxyz";

    [Fact]
    public void An_id_is_its_prefix_an_underscore_and_26_lower_case_crockford_characters()
    {
        var id = Ids.New("note");

        Assert.StartsWith("note_", id);
        Assert.Equal("note_".Length + 26, id.Length);
        Assert.All(id["note_".Length..], c => Assert.Contains(c, Crockford));
        Assert.True(Ids.IsWellFormed(id, "note"));
    }

    [Fact]
    public void An_id_is_a_uuid_version_7_of_its_creation_millisecond()
    {
        var at = DateTimeOffset.Parse("2026-11-22T10:00:00.123Z");

        var id = Ids.New("note", new ManualClock(at));

        var bytes = Decode(id["note_".Length..]);
        var uuid = new Guid(bytes, bigEndian: true);
        Assert.Equal(7, uuid.Version);
        Assert.Equal(0b10, bytes[8] >> 6);
        Assert.Equal(at.ToUnixTimeMilliseconds(), (long)BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
    }

    [Fact]
    public void Ids_sort_by_creation_time_one_millisecond_apart()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));
        var created = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            created.Add(Ids.New("note", clock));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(created, created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_floor_of_a_millisecond_sorts_after_every_id_made_before_it_and_before_every_id_made_in_it()
    {
        var at = DateTimeOffset.Parse("2026-11-22T10:00:00.123Z");
        var floor = Ids.Floor("evt", at);

        for (var i = 0; i < 500; i++)
        {
            Assert.True(string.CompareOrdinal(Ids.New("evt", new ManualClock(at.AddMilliseconds(-1))), floor) < 0);
            Assert.True(string.CompareOrdinal(Ids.New("evt", new ManualClock(at)), floor) > 0);
        }
        Assert.True(Ids.IsWellFormed(floor, "evt"));
    }

    [Fact]
    public void Ids_sort_by_creation_time_across_years()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2000-01-01T00:00:00Z"));
        var created = new List<string>();
        foreach (var step in new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(365 * 26), TimeSpan.FromSeconds(1), TimeSpan.FromDays(365 * 70) })
        {
            created.Add(Ids.New("key", clock));
            clock.Advance(step);
        }
        created.Add(Ids.New("key", clock));

        Assert.Equal(created, created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_are_still_distinct()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-22T10:00:00Z"));

        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New("req", clock)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Ids.IsWellFormed(id, "req")));
    }

    [Fact]
    public void Without_a_clock_ids_use_the_system_time()
    {
        var past = Ids.New("note", new ManualClock(DateTimeOffset.UtcNow.AddMinutes(-1)));
        var now = Ids.New("note");
        var future = Ids.New("note", new ManualClock(DateTimeOffset.UtcNow.AddMinutes(1)));

        Assert.True(string.CompareOrdinal(past, now) < 0);
        Assert.True(string.CompareOrdinal(now, future) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("note")]
    [InlineData("note_")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726q")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726q80")]
    [InlineData("note_06H0AH63B1X1S93CSA0G2726Q8")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726qi")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726ql")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726qo")]
    [InlineData("note_06h0ah63b1x1s93csa0g2726qu")]
    [InlineData("note-06h0ah63b1x1s93csa0g2726q8")]
    [InlineData("note_06h0ah63b1x1s93csa0g 726q8")]
    [InlineData(" note_06h0ah63b1x1s93csa0g2726q")]
    [InlineData("key_06h0ah63b1x1s93csa0g2726q8")]
    [InlineData("notes_06h0ah63b1x1s93csa0g2726q")]
    [InlineData("nOte_06h0ah63b1x1s93csa0g2726q8")]
    public void Malformed_ids_and_ids_of_another_prefix_are_rejected(string? id)
    {
        Assert.False(Ids.IsWellFormed(id, "note"));
    }

    /// <summary>Crockford base32 back to the 16 bytes (the 26th character carries 2 bits and 3 of padding).</summary>
    private static byte[] Decode(string chars)
    {
        var bytes = new byte[16];
        int buffer = 0, bits = 0, i = 0;
        foreach (var c in chars)
        {
            buffer = (buffer << 5) | Crockford.IndexOf(c);
            bits += 5;
            if (bits >= 8 && i < 16)
            {
                bytes[i++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return bytes;
    }

    [Fact]
    public void A_well_formed_id_need_not_exist_yet()
    {
        Assert.True(Ids.IsWellFormed("note_06h0ah63b1x1s93csa0g2726q8", "note"));
        Assert.True(Ids.IsWellFormed("note_zzzzzzzzzzzzzzzzzzzzzzzzzz", "note"));
    }
}
