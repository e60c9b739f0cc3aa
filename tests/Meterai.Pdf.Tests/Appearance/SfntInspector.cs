using System.Buffers.Binary;

namespace Meterai.Pdf.Tests.Appearance;

/// <summary>
/// A second, deliberately naive reading of an sfnt file, written apart from the production reader so that a
/// subset's structure is checked by code that shares none of the writer's assumptions: the table directory, every
/// checksum, the whole-file checksum, and the full (3,1) cmap by brute force over the BMP.
/// </summary>
internal sealed class SfntInspector
{
    private readonly byte[] _font;

    public SfntInspector(byte[] font)
    {
        _font = font;
        int n = U16(4);
        for (var i = 0; i < n; i++)
        {
            var rec = 12 + 16 * i;
            var tag = System.Text.Encoding.ASCII.GetString(font, rec, 4);
            Tables.Add(tag, (U32(rec + 4), (int)U32(rec + 8), (int)U32(rec + 12)));
            DirectoryOrder.Add(tag);
        }
    }

    public Dictionary<string, (uint Checksum, int Offset, int Length)> Tables { get; } = new();

    public List<string> DirectoryOrder { get; } = new();

    public ReadOnlySpan<byte> Table(string tag) => _font.AsSpan(Tables[tag].Offset, Tables[tag].Length);

    public int NumGlyphs => BinaryPrimitives.ReadUInt16BigEndian(Table("maxp")[4..]);

    public int IndexToLocFormat => BinaryPrimitives.ReadInt16BigEndian(Table("head")[50..]);

    /// <summary>Tables whose recorded checksum differs from the sum of their (zero-padded) words.</summary>
    public IEnumerable<string> BadChecksums()
    {
        foreach (var (tag, t) in Tables)
        {
            uint sum = 0;
            for (var i = 0; i < t.Length; i += 4)
            {
                uint word = 0;
                for (var b = 0; b < 4; b++) word = word << 8 | (uint)(i + b < t.Length ? _font[t.Offset + i + b] : 0);
                if (tag == "head" && i == 8) word = 0; // checkSumAdjustment is excluded from head's own checksum
                sum = unchecked(sum + word);
            }

            if (sum != t.Checksum) yield return tag;
        }
    }

    public uint WholeFileChecksum()
    {
        uint sum = 0;
        var padded = new byte[(_font.Length + 3) & ~3];
        _font.CopyTo(padded, 0);
        for (var i = 0; i < padded.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(i)));
        return sum;
    }

    /// <summary>Every BMP character the (3,1) format-4 subtable maps to a glyph other than .notdef.</summary>
    public SortedDictionary<char, int> UnicodeCmap()
    {
        var cmap = Table("cmap");
        int n = BinaryPrimitives.ReadUInt16BigEndian(cmap[2..]);
        for (var i = 0; i < n; i++)
        {
            var rec = cmap.Slice(4 + 8 * i, 8);
            if (BinaryPrimitives.ReadUInt16BigEndian(rec) != 3 || BinaryPrimitives.ReadUInt16BigEndian(rec[2..]) != 1) continue;
            var sub = cmap[(int)BinaryPrimitives.ReadUInt32BigEndian(rec[4..])..];
            Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(sub));
            var segs = BinaryPrimitives.ReadUInt16BigEndian(sub[6..]) / 2;
            var map = new SortedDictionary<char, int>();
            for (var s = 0; s < segs; s++)
            {
                int end = BinaryPrimitives.ReadUInt16BigEndian(sub[(14 + 2 * s)..]);
                int start = BinaryPrimitives.ReadUInt16BigEndian(sub[(16 + 2 * segs + 2 * s)..]);
                int delta = BinaryPrimitives.ReadInt16BigEndian(sub[(16 + 4 * segs + 2 * s)..]);
                int rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(sub[(16 + 6 * segs + 2 * s)..]);
                for (var c = start; c <= end && c < 0xFFFF; c++)
                {
                    int g;
                    if (rangeOffset == 0) g = (c + delta) & 0xFFFF;
                    else
                    {
                        g = BinaryPrimitives.ReadUInt16BigEndian(sub[(16 + 6 * segs + 2 * s + rangeOffset + 2 * (c - start))..]);
                        if (g != 0) g = (g + delta) & 0xFFFF;
                    }

                    if (g != 0) map[(char)c] = g;
                }
            }

            return map;
        }

        throw new InvalidOperationException("no (3,1) cmap");
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16BigEndian(_font.AsSpan(at));

    private uint U32(int at) => BinaryPrimitives.ReadUInt32BigEndian(_font.AsSpan(at));
}
