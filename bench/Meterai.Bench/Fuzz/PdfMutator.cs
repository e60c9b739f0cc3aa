using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Bench.Fuzz;

/// <summary>
/// Turns a valid PDF into a hostile one, reproducibly from a seed: the damage real uploads carry (bit flips, cut
/// files, objects spliced from elsewhere or defined twice) and the attacks a public endpoint must survive (absurd
/// /Length and /Size values, decompression bombs in object and cross-reference streams, deep nesting, page-tree
/// loops).
/// </summary>
public sealed partial class PdfMutator(IReadOnlyList<byte[]> corpus)
{
    public enum Kind
    {
        BitFlips,
        Truncation,
        Splice,
        DuplicateObject,
        HugeLength,
        HugeSize,
        ObjectStreamBomb,
        XrefStreamBomb,
        DeepNesting,
        PageTreeLoop,
    }

    private static readonly Lazy<byte[]> Bomb = new(() =>
    {
        // 1 GiB of zeros deflates to about a megabyte: a tiny upload that would inflate to a gigabyte.
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1024; i++) z.Write(zeros);
        }

        return output.ToArray();
    });

    public static int KindCount => Enum.GetValues<Kind>().Length;

    /// <summary>Case <paramref name="index"/> of the run seeded by <paramref name="seed"/>: always the same bytes.</summary>
    public (Kind Kind, string Source, byte[] Bytes) Mutate(int seed, int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var sourceIndex = random.Next(corpus.Count);
        var input = corpus[sourceIndex];
        var kind = (Kind)(index % KindCount);
        var bytes = kind switch
        {
            Kind.BitFlips => BitFlips(input, random),
            Kind.Truncation => input[..random.Next(1, Math.Max(2, input.Length))],
            Kind.Splice => Splice(input, corpus[random.Next(corpus.Count)], random),
            Kind.DuplicateObject => DuplicateObject(input, random),
            Kind.HugeLength => ReplaceNumberAfter(input, "/Length", random, "99999999999", "-1", "2147483647"),
            Kind.HugeSize => ReplaceNumberAfter(input, "/Size", random, "2147483647", "99999999999", "0", "-5"),
            Kind.ObjectStreamBomb => AppendBombUpdate(input, xrefStream: false),
            Kind.XrefStreamBomb => AppendBombUpdate(input, xrefStream: true),
            Kind.DeepNesting => DeepNesting(input, random),
            _ => PageTreeLoop(input, random),
        };
        return (kind, sourceIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), bytes);
    }

    private static byte[] BitFlips(byte[] input, Random random)
    {
        var bytes = (byte[])input.Clone();
        var flips = random.Next(1, 33);
        // Half the time aim at the tail, where the cross-reference data and trailer live.
        var tail = random.Next(2) == 0;
        for (var i = 0; i < flips; i++)
        {
            var at = tail ? Math.Max(0, bytes.Length - 1 - random.Next(Math.Min(bytes.Length, 2048))) : random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }

    private static byte[] Splice(byte[] input, byte[] donor, Random random)
    {
        var length = random.Next(1, Math.Min(4096, donor.Length) + 1);
        var from = random.Next(0, donor.Length - length + 1);
        var at = random.Next(0, input.Length);
        var replace = random.Next(2) == 0 ? Math.Min(length, input.Length - at) : 0;
        return [.. input.AsSpan(0, at), .. donor.AsSpan(from, length), .. input.AsSpan(at + replace)];
    }

    private static byte[] DuplicateObject(byte[] input, Random random)
    {
        var text = Encoding.Latin1.GetString(input);
        var matches = ObjectPattern().Matches(text);
        if (matches.Count == 0) return BitFlips(input, random);
        var m = matches[random.Next(matches.Count)];
        var copy = m.Value;
        if (random.Next(2) == 0) copy = copy.Replace("/Page", "/Pages").Replace("/Count", "/Count 9");
        var at = random.Next(2) == 0 ? text.Length : m.Index;
        return Encoding.Latin1.GetBytes(text.Insert(at, "\n" + copy + "\n"));
    }

    private static byte[] ReplaceNumberAfter(byte[] input, string key, Random random, params string[] values)
    {
        var text = Encoding.Latin1.GetString(input);
        var matches = Regex.Matches(text, Regex.Escape(key) + @"\s+(\d+)");
        if (matches.Count == 0) return BitFlips(input, random);
        var m = matches[random.Next(matches.Count)];
        var g = m.Groups[1];
        return Encoding.Latin1.GetBytes(text[..g.Index] + values[random.Next(values.Length)] + text[(g.Index + g.Length)..]);
    }

    /// <summary>
    /// Appends an incremental update whose new section (or whose object stream holding the catalog) is a small
    /// Flate stream that inflates to a gigabyte.
    /// </summary>
    private static byte[] AppendBombUpdate(byte[] input, bool xrefStream)
    {
        var text = Encoding.Latin1.GetString(input);
        var startxref = Regex.Matches(text, @"startxref\s+(\d+)");
        var prev = startxref.Count > 0 ? startxref[^1].Groups[1].Value : "0";
        var root = Regex.Match(text, @"/Root\s+(\d+)\s+(\d+)\s+R");
        var rootNumber = root.Success ? root.Groups[1].Value : "1";
        var bomb = Bomb.Value;
        using var output = new MemoryStream();
        output.Write(input);
        void Ascii(string s) => output.Write(Encoding.ASCII.GetBytes(s));
        Ascii("\n");
        if (xrefStream)
        {
            var at = output.Length;
            Ascii($"900000 0 obj\n<< /Type /XRef /Size 900001 /W [1 4 2] /Root {rootNumber} 0 R /Prev {prev} /Filter /FlateDecode /Length {bomb.Length} >>\nstream\n");
            output.Write(bomb);
            Ascii($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n");
        }
        else
        {
            var stm = output.Length;
            Ascii($"900000 0 obj\n<< /Type /ObjStm /N 1 /First 10 /Filter /FlateDecode /Length {bomb.Length} >>\nstream\n");
            output.Write(bomb);
            Ascii("\nendstream\nendobj\n");
            // The catalog now lives in the bomb: a cross-reference stream section says so.
            var bytes = output.ToArray();
            return AppendCompressedCatalog(bytes, rootNumber, stm, prev);
        }

        return output.ToArray();
    }

    // A cross-reference stream section whose only entries place the catalog inside the bomb object stream.
    private static byte[] AppendCompressedCatalog(byte[] bytes, string rootNumber, long stmOffset, string prev)
    {
        using var output = new MemoryStream();
        output.Write(bytes);
        var data = new byte[2 * 7];
        data[0] = 2; // catalog: compressed, in object 900000 at index 0
        PutBigEndian(data.AsSpan(1, 4), 900000);
        data[7] = 1; // the object stream itself: in the file
        PutBigEndian(data.AsSpan(8, 4), stmOffset);
        var at = output.Length;
        var header = $"900001 0 obj\n<< /Type /XRef /Size 900002 /W [1 4 2] /Index [{rootNumber} 1 900000 1] /Root {rootNumber} 0 R /Prev {prev} /Length {data.Length} >>\nstream\n";
        output.Write(Encoding.ASCII.GetBytes(header));
        output.Write(data);
        output.Write(Encoding.ASCII.GetBytes($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n"));
        return output.ToArray();
    }

    private static void PutBigEndian(Span<byte> dst, long value)
    {
        for (var i = dst.Length - 1; i >= 0; i--)
        {
            dst[i] = (byte)value;
            value >>= 8;
        }
    }

    private static byte[] DeepNesting(byte[] input, Random random)
    {
        var text = Encoding.Latin1.GetString(input);
        var matches = Regex.Matches(text, @"/Type\s*/(Page|Catalog|Pages)\b");
        if (matches.Count == 0) return BitFlips(input, random);
        var m = matches[random.Next(matches.Count)];
        var depth = random.Next(100, 100_000);
        var nest = "/Deep " + new string('[', depth) + new string(']', depth) + " ";
        return Encoding.Latin1.GetBytes(text.Insert(m.Index, nest));
    }

    private static byte[] PageTreeLoop(byte[] input, Random random)
    {
        var text = Encoding.Latin1.GetString(input);
        var pages = Regex.Matches(text, @"(\d+) 0 obj\s*<<[^>]*?/Type\s*/Pages");
        var kids = Regex.Matches(text, @"/Kids\s*\[");
        if (pages.Count == 0 || kids.Count == 0) return BitFlips(input, random);
        var self = pages[random.Next(pages.Count)].Groups[1].Value;
        var k = kids[random.Next(kids.Count)];
        return Encoding.Latin1.GetBytes(text.Insert(k.Index + k.Length, $"{self} 0 R "));
    }

    [GeneratedRegex(@"\d+ \d+ obj\b.{0,2000}?endobj", RegexOptions.Singleline)]
    private static partial Regex ObjectPattern();
}
