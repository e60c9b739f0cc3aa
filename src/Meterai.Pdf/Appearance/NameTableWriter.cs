using System.Buffers.Binary;
using Meterai.Core.Common;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Rebuilds the name table with the Windows-platform records only. They carry every name the font has (family,
/// PostScript name, version) and, what matters for the licence, the copyright notice (ID 0), the trademark (ID 7)
/// and the licence text (ID 13) — so every subset we embed carries the notices its licence asks copies to carry.
/// The Macintosh-platform duplicates are dropped: no PDF consumer needs both, and the licence text is kilobytes.
/// </summary>
internal static class NameTableWriter
{
    private const int WindowsPlatform = 3;

    public static Result<byte[]> WindowsRecordsOnly(ReadOnlySpan<byte> name)
    {
        if (name.Length < 6) return new Error(FontErrors.Malformed, "name table is truncated");
        int count = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        int storage = BinaryPrimitives.ReadUInt16BigEndian(name[4..]);
        if (6 + 12 * count > name.Length) return new Error(FontErrors.Malformed, "name records run past the table");

        var kept = new List<(ushort Platform, ushort Encoding, ushort Language, ushort NameId, int Offset, int Length)>();
        for (var i = 0; i < count; i++)
        {
            var r = name.Slice(6 + 12 * i, 12);
            var platform = BinaryPrimitives.ReadUInt16BigEndian(r);
            if (platform != WindowsPlatform) continue;
            int length = BinaryPrimitives.ReadUInt16BigEndian(r[8..]);
            int offset = BinaryPrimitives.ReadUInt16BigEndian(r[10..]);
            if (storage + offset + length > name.Length) return new Error(FontErrors.Malformed, $"name record {i} runs past the table");
            kept.Add((platform, BinaryPrimitives.ReadUInt16BigEndian(r[2..]), BinaryPrimitives.ReadUInt16BigEndian(r[4..]),
                BinaryPrimitives.ReadUInt16BigEndian(r[6..]), storage + offset, length));
        }

        // Records stay in their original order, which the spec wants sorted by platform, encoding, language, name ID.
        var newStorage = 6 + 12 * kept.Count;
        var size = newStorage;
        foreach (var k in kept) size += k.Length;
        var table = new byte[size];
        var span = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)kept.Count);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)newStorage);
        var at = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            var k = kept[i];
            var r = span.Slice(6 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16BigEndian(r, k.Platform);
            BinaryPrimitives.WriteUInt16BigEndian(r[2..], k.Encoding);
            BinaryPrimitives.WriteUInt16BigEndian(r[4..], k.Language);
            BinaryPrimitives.WriteUInt16BigEndian(r[6..], k.NameId);
            BinaryPrimitives.WriteUInt16BigEndian(r[8..], (ushort)k.Length);
            BinaryPrimitives.WriteUInt16BigEndian(r[10..], (ushort)at);
            name.Slice(k.Offset, k.Length).CopyTo(span[(newStorage + at)..]);
            at += k.Length;
        }

        return table;
    }
}
