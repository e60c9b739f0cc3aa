using System.Buffers.Binary;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Assembles an sfnt (TrueType) file from finished tables: the directory sorted by tag (as the spec requires, so
/// that readers may binary-search it), each table 4-byte aligned and zero-padded, each table's checksum, and
/// head.checkSumAdjustment set last so that the whole file sums to 0xB1B0AFBA.
/// </summary>
internal static class SfntWriter
{
    private const uint ChecksumMagic = 0xB1B0AFBA;
    private const int HeadCheckSumAdjustmentOffset = 8;

    public static byte[] Write(IReadOnlyDictionary<string, byte[]> tables)
    {
        var tags = tables.Keys.Select(TrueTypeFont.Tag).Order().ToArray();
        var numTables = tags.Length;
        var size = 12 + 16 * numTables;
        foreach (var t in tables.Values) size += Pad4(t.Length);

        var font = new byte[size];
        var span = font.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)numTables);

        // searchRange = 16 × (largest power of two ≤ numTables); entrySelector = log2 of that power.
        var entrySelector = 0;
        while (1 << (entrySelector + 1) <= numTables) entrySelector++;
        var searchRange = 16 << entrySelector;
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)searchRange);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)entrySelector);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(16 * numTables - searchRange));

        var offset = 12 + 16 * numTables;
        var headOffset = -1;
        for (var i = 0; i < numTables; i++)
        {
            var name = TrueTypeFont.TagName(tags[i]);
            var data = tables[name];
            data.CopyTo(span[offset..]);
            if (name == "head")
            {
                headOffset = offset;
                BinaryPrimitives.WriteUInt32BigEndian(span[(offset + HeadCheckSumAdjustmentOffset)..], 0);
            }

            var rec = span.Slice(12 + 16 * i, 16);
            BinaryPrimitives.WriteUInt32BigEndian(rec, tags[i]);
            BinaryPrimitives.WriteUInt32BigEndian(rec[4..], Checksum(span.Slice(offset, Pad4(data.Length))));
            BinaryPrimitives.WriteUInt32BigEndian(rec[8..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(rec[12..], (uint)data.Length);
            offset += Pad4(data.Length);
        }

        if (headOffset < 0) throw new ArgumentException("an sfnt needs a head table", nameof(tables));
        BinaryPrimitives.WriteUInt32BigEndian(span[(headOffset + HeadCheckSumAdjustmentOffset)..], unchecked(ChecksumMagic - Checksum(span)));
        return font;
    }

    /// <summary>The sum of big-endian uint32 words, modulo 2³²; the span's length must be a multiple of 4.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 4 <= data.Length; i += 4) sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        return sum;
    }

    public static int Pad4(int length) => (length + 3) & ~3;
}
