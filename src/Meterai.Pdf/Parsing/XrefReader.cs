using Meterai.Pdf.Budget;
using Meterai.Pdf.Filters;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// Reads the chain of cross-reference sections from the newest (named by startxref) back through /Prev, for classic
/// tables (§7.5.4), cross-reference streams (§7.5.8) and hybrid files (§7.5.8.4). Anything that does not add up —
/// a loop, a bad offset, a duplicate entry, stream data of the wrong size — is damage, reported by throwing
/// <see cref="PdfDamageException"/> so the caller can switch to recovery.
/// </summary>
internal sealed class XrefReader(ByteSource source, ObjectParser parser, IndirectObjectReader objects, PdfLimits limits)
{
    private static ReadOnlySpan<byte> KwXref => "xref"u8;
    private static ReadOnlySpan<byte> KwTrailer => "trailer"u8;

    private Lexer Lexer => parser.Lexer;

    /// <summary>Every section from the newest to the oldest.</summary>
    public List<XrefSection> ReadChain(long startxref)
    {
        var sections = new List<XrefSection>();
        var visited = new HashSet<long>();
        long? offset = startxref;
        while (offset is { } at)
        {
            if (!visited.Add(at)) throw new PdfDamageException($"the /Prev chain loops back to offset {at}");
            if (sections.Count >= limits.MaxXrefSections) throw PdfFormatException.Limit($"more than {limits.MaxXrefSections} cross-reference sections");
            var section = ReadSection(at);
            if (section.Kind == XrefSectionKind.Table && section.Trailer["XRefStm"] is PdfInteger xrefStm)
            {
                if (!visited.Add(xrefStm.Value)) throw new PdfDamageException("/XRefStm names an offset already read");
                var hybrid = ReadStreamSection(xrefStm.Value);
                section.HybridEntries = hybrid.Entries;
                section.HybridStreamNumber = hybrid.StreamObjectNumber;
            }

            sections.Add(section);
            offset = section.Trailer["Prev"] switch
            {
                null => null,
                PdfInteger p when p.Value >= 0 && p.Value < source.Length => p.Value,
                PdfReal r when r.Value >= 0 && r.Value < source.Length && r.Value == Math.Floor(r.Value) => (long)r.Value,
                _ => throw new PdfDamageException("the trailer's /Prev is not a valid offset"),
            };
        }

        return sections;
    }

    private XrefSection ReadSection(long offset)
    {
        var lexer = Lexer;
        parser.Seek(offset);
        var kind = lexer.Next();
        if (kind == TokenKind.Keyword && lexer.IsKeyword(KwXref)) return ReadTable(offset);
        if (kind == TokenKind.Integer) return ReadStreamSection(offset);
        throw new PdfDamageException($"no cross-reference section at offset {offset}");
    }

    private XrefSection ReadTable(long offset)
    {
        var lexer = Lexer;
        var entries = new List<(int, XrefEntry)>();
        var seen = new SectionNumbers();
        while (true)
        {
            var kind = lexer.Next();
            if (kind == TokenKind.Keyword && lexer.IsKeyword(KwTrailer)) break;
            if (kind != TokenKind.Integer) throw new PdfDamageException($"bad cross-reference subsection header at offset {lexer.TokenStart}");
            var first = lexer.IntValue;
            if (lexer.Next() != TokenKind.Integer) throw new PdfDamageException($"bad cross-reference subsection header at offset {lexer.TokenStart}");
            var count = lexer.IntValue;
            if (first < 0 || count < 0 || first + count > (long)limits.MaxObjectNumber + 1)
            {
                throw new PdfDamageException($"cross-reference subsection {first} {count} is out of range");
            }

            // Each entry takes at least 18 bytes: a count the file cannot hold is damage, not a reason to allocate.
            if (count * 18 > source.Length - lexer.Position) throw new PdfDamageException("cross-reference subsection longer than the file");
            entries.EnsureCapacity(entries.Count + (int)count);
            seen.StartRange(first);
            for (long i = 0; i < count; i++)
            {
                WorkBudget.Tick();
                if (lexer.Next() != TokenKind.Integer) throw new PdfDamageException($"bad cross-reference entry at offset {lexer.TokenStart}");
                var entryOffset = lexer.IntValue;
                if (lexer.Next() != TokenKind.Integer) throw new PdfDamageException($"bad cross-reference entry at offset {lexer.TokenStart}");
                var generation = lexer.IntValue;
                if (lexer.Next() != TokenKind.Keyword || lexer.TokenBytes.Length != 1) throw new PdfDamageException($"bad cross-reference entry at offset {lexer.TokenStart}");
                var type = lexer.TokenBytes[0];
                var number = (int)(first + i);
                if (!seen.Add(number)) throw new PdfDamageException($"object {number} appears twice in one cross-reference section");
                if (type == 'n')
                {
                    if (generation is < 0 or > 65535) throw new PdfDamageException($"bad generation in the entry of object {number}");
                    if (entryOffset <= 0 || entryOffset >= source.Length) throw new PdfDamageException($"object {number} has an impossible offset {entryOffset}");
                    entries.Add((number, XrefEntry.InFile(entryOffset, (int)generation)));
                }
                else if (type == 'f')
                {
                    entries.Add((number, XrefEntry.Free()));
                }
                else
                {
                    throw new PdfDamageException($"bad cross-reference entry type at offset {lexer.TokenStart}");
                }
            }
        }

        parser.Seek(Lexer.Position);
        if (parser.ParseObject() is not PdfDictionary trailer) throw new PdfDamageException("the trailer is not a dictionary");
        return new XrefSection(offset, XrefSectionKind.Table, trailer, entries);
    }

    private XrefSection ReadStreamSection(long offset)
    {
        IndirectObject obj;
        try
        {
            // A cross-reference stream's /Length must be direct (§7.5.8.2): nothing else can be resolved yet.
            obj = objects.Read(offset, _ => null);
        }
        catch (PdfFormatException e) when (e.Code == PdfErrorCodes.Malformed)
        {
            throw new PdfDamageException($"unreadable cross-reference stream at offset {offset}: {e.Message}");
        }

        if (obj.Value is not PdfStream stream) throw new PdfDamageException($"no cross-reference stream at offset {offset}");
        if (obj.Anomaly is not null) throw new PdfDamageException(obj.Anomaly);
        var dict = stream.Dictionary;
        if (dict["Type"] is PdfName type && type.Value != "XRef") throw new PdfDamageException($"the object at offset {offset} is not a cross-reference stream");

        var raw = ReadRaw(stream);
        byte[] data;
        try
        {
            data = StreamDecoder.Decode(dict, raw, limits.MaxDecodedStreamBytes, o => o);
        }
        catch (PdfFormatException e) when (e.Code == PdfErrorCodes.Malformed)
        {
            throw new PdfDamageException($"cross-reference stream at offset {offset}: {e.Message}");
        }

        var entries = ParseStreamEntries(dict, data);
        return new XrefSection(offset, XrefSectionKind.Stream, dict, entries) { StreamObjectNumber = obj.Id.Number };
    }

    public byte[] ReadRaw(PdfStream stream)
    {
        if (stream.Length > limits.MaxDecodedStreamBytes) throw PdfFormatException.Limit($"a stream is larger than {limits.MaxDecodedStreamBytes} bytes");
        var raw = new byte[stream.Length];
        var n = source.ReadAt(stream.DataOffset, raw);
        return n == raw.Length ? raw : raw[..n];
    }

    private List<(int, XrefEntry)> ParseStreamEntries(PdfDictionary dict, byte[] data)
    {
        if (dict["W"] is not PdfArray { Count: 3 } w || w.Any(x => x is not PdfInteger { Value: >= 0 and <= 8 }))
        {
            throw new PdfDamageException("cross-reference stream /W is invalid");
        }

        var w1 = (int)((PdfInteger)w[0]).Value;
        var w2 = (int)((PdfInteger)w[1]).Value;
        var w3 = (int)((PdfInteger)w[2]).Value;
        var rowLength = w1 + w2 + w3;
        if (rowLength == 0) throw new PdfDamageException("cross-reference stream /W is all zero");

        var size = dict["Size"] is PdfInteger s ? s.Value : -1;
        if (size < 0 || size > (long)limits.MaxObjectNumber + 1) throw new PdfDamageException("cross-reference stream /Size is invalid");
        var ranges = new List<(long First, long Count)>();
        if (dict["Index"] is PdfArray index)
        {
            if (index.Count % 2 != 0) throw new PdfDamageException("cross-reference stream /Index has an odd length");
            for (var i = 0; i < index.Count; i += 2)
            {
                if (index[i] is not PdfInteger { Value: >= 0 } f || index[i + 1] is not PdfInteger { Value: >= 0 } c || f.Value + c.Value > (long)limits.MaxObjectNumber + 1)
                {
                    throw new PdfDamageException("cross-reference stream /Index is invalid");
                }

                ranges.Add((f.Value, c.Value));
            }
        }
        else
        {
            ranges.Add((0, size));
        }

        long total = 0;
        foreach (var (_, c) in ranges) total += c;
        if (total * rowLength != data.Length)
        {
            throw new PdfDamageException($"cross-reference stream data has the wrong size: {total} entries of {rowLength} bytes, {data.Length} bytes of data");
        }

        var entries = new List<(int, XrefEntry)>((int)total);
        var seen = new SectionNumbers();
        var pos = 0;
        foreach (var (first, count) in ranges)
        {
            seen.StartRange(first);
            for (long i = 0; i < count; i++)
            {
                WorkBudget.Tick();
                var row = data.AsSpan(pos, rowLength);
                pos += rowLength;
                var type = w1 == 0 ? 1 : Field(row[..w1]);
                var f2 = Field(row.Slice(w1, w2));
                var f3 = Field(row.Slice(w1 + w2, w3));
                var number = (int)(first + i);
                if (!seen.Add(number)) throw new PdfDamageException($"object {number} appears twice in one cross-reference stream");
                switch (type)
                {
                    case 0:
                        entries.Add((number, XrefEntry.Free()));
                        break;
                    case 1:
                        if (f2 <= 0 || f2 >= source.Length || f3 > 65535) throw new PdfDamageException($"object {number} has an impossible offset {f2}");
                        entries.Add((number, XrefEntry.InFile(f2, (int)f3)));
                        break;
                    case 2:
                        if (f2 <= 0 || f2 > limits.MaxObjectNumber || f3 > limits.MaxObjectsPerStream) throw new PdfDamageException($"object {number} has an impossible object stream entry");
                        entries.Add((number, XrefEntry.Compressed(f2, (int)f3)));
                        break;
                    default:
                        // Unknown types are references to the null object (§7.5.8.3): record nothing.
                        break;
                }
            }
        }

        return entries;
    }

    private static long Field(ReadOnlySpan<byte> bytes)
    {
        long v = 0;
        foreach (var b in bytes) v = (v << 8) | b;
        return v;
    }
}
