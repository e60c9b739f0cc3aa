using Meterai.Core.Serials;

namespace Meterai.Core.Tests;

public class SerialNumberTests
{
    private const string Alphabet = SerialNumber.Alphabet;

    [Fact]
    public void New_serials_have_22_characters_of_the_alphabet_and_verify()
    {
        for (var i = 0; i < 1000; i++)
        {
            var s = SerialNumber.New().Value;
            Assert.Equal(22, s.Length);
            Assert.All(s, c => Assert.Contains(c, Alphabet));
            Assert.True(SerialNumber.Parse(s).IsOk);
        }
    }

    [Fact]
    public void New_serial_characters_are_uniform_over_the_alphabet()
    {
        // 200,000 serials × 21 random characters: each of 36 characters expects ~116,667 draws. A biased mapping
        // (e.g. b % 36 over all 256 byte values) would give the first four characters ~14 % more; chi-square catches it.
        var counts = new long[36];
        const int serials = 200_000;
        for (var i = 0; i < serials; i++)
        {
            var s = SerialNumber.New().Value;
            for (var p = 0; p < SerialNumber.RandomLength; p++) counts[SerialNumber.Alphabet.IndexOf(s[p])]++;
        }

        var expected = serials * (double)SerialNumber.RandomLength / 36;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        // 35 degrees of freedom: p = 0.0001 at about 76.
        Assert.True(chiSquare < 76, $"chi-square {chiSquare:F1} over {string.Join(",", counts)}");
    }

    [Fact]
    public void New_serials_do_not_repeat()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 100_000; i++) Assert.True(seen.Add(SerialNumber.New().Value));
    }

    [Fact]
    public void Every_single_character_substitution_is_caught_on_a_sample()
    {
        for (var n = 0; n < 300; n++)
        {
            var s = SerialNumber.New().Value.ToCharArray();
            for (var pos = 0; pos < s.Length; pos++)
            {
                var original = s[pos];
                foreach (var c in Alphabet)
                {
                    if (c == original) continue;
                    s[pos] = c;
                    var r = SerialNumber.Parse(new string(s));
                    Assert.False(r.IsOk, $"substitution at {pos} to {c} in {new string(s)} was not caught");
                    Assert.Equal(SerialErrors.InvalidCheckCharacter, r.Error!.Code);
                }

                s[pos] = original;
            }

        }
    }

    [Fact]
    public void Every_adjacent_transposition_is_caught_on_a_sample()
    {
        for (var n = 0; n < 3000; n++)
        {
            var s = SerialNumber.New().Value.ToCharArray();
            for (var pos = 0; pos + 1 < s.Length; pos++)
            {
                if (s[pos] == s[pos + 1]) continue;
                (s[pos], s[pos + 1]) = (s[pos + 1], s[pos]);
                Assert.False(SerialNumber.Parse(new string(s)).IsOk, $"swap at {pos} in {new string(s)} was not caught");
                (s[pos], s[pos + 1]) = (s[pos + 1], s[pos]);
            }
        }
    }

    [Fact]
    public void Every_adjacent_transposition_of_every_character_pair_is_caught_in_every_checksum_state()
    {
        // Exhaustive over the part that matters: the checksum state before the pair (36 values of P) and the pair
        // itself (36 × 36). A prefix reaching each state is found by search, then every pair is swapped after it.
        var prefixes = new Dictionary<int, string>();
        var rng = new Random(37);
        while (prefixes.Count < 36)
        {
            var len = rng.Next(0, 19);
            var p = new string(Enumerable.Range(0, len).Select(_ => Alphabet[rng.Next(36)]).ToArray());
            var state = SerialNumber.CheckValue(p);
            prefixes.TryAdd(state, p);
        }

        foreach (var prefix in prefixes.Values)
        foreach (var a in Alphabet)
        foreach (var b in Alphabet)
        {
            if (a == b) continue;
            var tail = new string('0', SerialNumber.RandomLength - prefix.Length - 2);
            var body = prefix + a + b + tail;
            var good = body + Alphabet[SerialNumber.CheckValue(body)];
            var swapped = prefix + b + a + tail + good[^1];
            Assert.True(SerialNumber.Parse(good).IsOk);
            Assert.False(SerialNumber.Parse(swapped).IsOk, $"{good} vs {swapped}");
        }
    }

    [Fact]
    public void Quasigroup_is_a_latin_square_and_totally_anti_symmetric()
    {
        for (var c = 0; c < 36; c++)
        {
            var row = Enumerable.Range(0, 36).Select(y => DammQuasigroup36.Combine(c, y)).ToHashSet();
            var column = Enumerable.Range(0, 36).Select(x => DammQuasigroup36.Combine(x, c)).ToHashSet();
            Assert.Equal(36, row.Count);
            Assert.Equal(36, column.Count);
            for (var x = 0; x < 36; x++)
            for (var y = 0; y < 36; y++)
            {
                if (x == y) continue;
                Assert.NotEqual(
                    DammQuasigroup36.Combine(DammQuasigroup36.Combine(c, x), y),
                    DammQuasigroup36.Combine(DammQuasigroup36.Combine(c, y), x));
            }
        }
    }

    [Fact]
    public void Swap_of_last_body_character_with_check_character_is_caught()
    {
        for (var n = 0; n < 20000; n++)
        {
            var s = SerialNumber.New().Value.ToCharArray();
            if (s[^1] == s[^2]) continue;
            (s[^1], s[^2]) = (s[^2], s[^1]);
            Assert.False(SerialNumber.Parse(new string(s)).IsOk, new string(s));
        }
    }

    [Theory]
    [InlineData(null, SerialErrors.InvalidLength)]
    [InlineData("", SerialErrors.InvalidLength)]
    [InlineData("ABC", SerialErrors.InvalidLength)]
    [InlineData("0123456789ABCDEFGHIJKLM", SerialErrors.InvalidLength)]
    [InlineData("0123456789ABCDEFGHIJ-K", SerialErrors.InvalidCharacter)]
    [InlineData("0123456789ABCDEFGHIJ K", SerialErrors.InvalidCharacter)]
    [InlineData("0123456789ABCDEFGHIJÄK", SerialErrors.InvalidCharacter)]
    public void Malformed_serials_get_their_own_code(string? text, string code)
    {
        var r = SerialNumber.Parse(text);
        Assert.False(r.IsOk);
        Assert.Equal(code, r.Error!.Code);
    }

    [Fact]
    public void Lower_case_is_accepted_and_normalised()
    {
        var s = SerialNumber.New().Value;
        var r = SerialNumber.Parse(s.ToLowerInvariant());
        Assert.True(r.IsOk);
        Assert.Equal(s, r.Value.Value);
    }
}
