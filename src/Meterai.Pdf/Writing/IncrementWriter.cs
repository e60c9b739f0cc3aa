using Meterai.Pdf.Budget;
using Meterai.Pdf.Encryption;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Writing;

/// <summary>How the increment's cross-reference section is written.</summary>
internal enum XrefStyle
{
    /// <summary>A classic table listing the increment's objects, chained to the file's newest section by /Prev.</summary>
    Table,

    /// <summary>A cross-reference stream listing the increment's objects, chained by /Prev (for files that use streams).</summary>
    Stream,
}

/// <summary>
/// Assembles one incremental update (§7.5.6) after the original bytes: the objects, then a cross-reference section
/// and trailer. Offsets are absolute: the buffer starts at <c>baseOffset</c> in the output file.
/// For a repaired file the section lists every object of the file (<see cref="WriteFullXref"/>), so it needs no /Prev
/// into the broken data.
/// </summary>
internal sealed class IncrementWriter : IDisposable
{
    private readonly ByteBuffer _buffer;
    private readonly long _base;
    // A few objects per stamp, each written once: a list sorted when the section is written, not a sorted tree.
    private readonly List<(int Number, long Offset, int Generation)> _written = new(16);

    public IncrementWriter(long baseOffset, SecurityHandler? security, ByteSource source, bool startOnNewLine, int capacity)
    {
        _buffer = new ByteBuffer(capacity);
        _base = baseOffset;
        Serializer = new ObjectSerializer(_buffer, security, source);
        // The original may end without an end-of-line after %%EOF: the first object must start on a line of its own.
        if (startOnNewLine) _buffer.WriteByte((byte)'\n');
    }

    public ObjectSerializer Serializer { get; }

    public ByteBuffer Buffer => _buffer;

    public long StartOffset => _base;

    /// <summary>Writes one object and records its absolute offset.</summary>
    /// <param name="encrypt">False for the /Encrypt dictionary itself, whose strings are never encrypted (§7.6.1).</param>
    public void Add(ObjectId id, PdfObject value, bool encrypt = true)
    {
        _written.Add((id.Number, _base + _buffer.Length, id.Generation));
        Serializer.WriteIndirect(id, value, encrypt);
    }

    /// <summary>Writes the section for an ordinary update: only the objects written here, chained by /Prev.</summary>
    public void WriteIncrementalXref(XrefStyle style, PdfDictionary trailer, long prev, int size)
    {
        var rows = new List<(int Number, int Type, long F2, long F3)>(_written.Count + 1);
        foreach (var (n, offset, generation) in Written()) rows.Add((n, 1, offset, generation));
        WriteSection(style, rows, trailer, prev, size);
    }

    /// <summary>
    /// Most free entries a repaired file's section lists for numbers nothing defines (20 bytes each in a table: 2 MB).
    /// Past it (a damaged file naming object 8,000,000 beside a few hundred others) the unused numbers are left out,
    /// as subsections may skip them, rather than making the section hundreds of megabytes long.
    /// </summary>
    public const int MaxFreeEntries = 100_000;

    /// <summary>
    /// Writes the section of a repaired file: every object that exists — the increment's own where it rewrote them,
    /// the recovered positions of all others — and no /Prev. Every other number below /Size gets a free entry
    /// (<see cref="FreeList"/>): a number with no entry at all is, for poppler, a broken table it rebuilds by scanning.
    /// </summary>
    public void WriteFullXref(XrefStyle style, PdfDictionary trailer, CrossReference recovered, int size)
    {
        var rows = new SortedDictionary<int, (int Type, long F2, long F3)>();
        var freedGenerations = new Dictionary<int, int>();
        foreach (var (n, e) in recovered.Entries)
        {
            WorkBudget.Tick();
            if (n >= size || n == 0) continue;
            if (e.Type == XrefEntryType.InFile) rows[n] = (1, e.Offset, e.Generation);
            else if (e.Type == XrefEntryType.Compressed) rows[n] = (2, e.StreamNumber, e.IndexInStream);
            else if (e.Type == XrefEntryType.Free) freedGenerations[n] = e.Generation;
        }

        foreach (var (n, offset, generation) in Written()) rows[n] = (1, offset, generation);
        var list = size - rows.Count <= MaxFreeEntries
            ? FreeList(rows, freedGenerations, size)
            : Sparse(rows);
        WriteSection(style, list, trailer, null, size);
    }

    /// <summary>
    /// Every number below <paramref name="size"/>: the objects, and free entries chained into the free list of §7.5.4
    /// (object 0 heads it with generation 65535, each free entry names the next free number, the last names 0). A free
    /// entry keeps the generation the file gave it; a number never used gets 0, the generation its first use would take.
    /// </summary>
    private static List<(int Number, int Type, long F2, long F3)> FreeList(SortedDictionary<int, (int Type, long F2, long F3)> rows, Dictionary<int, int> freedGenerations, int size)
    {
        var list = new List<(int Number, int Type, long F2, long F3)>(size + 1);
        var previousFree = -1;
        for (var n = 0; n < size; n++)
        {
            if (rows.TryGetValue(n, out var row))
            {
                list.Add((n, row.Type, row.F2, row.F3));
                continue;
            }

            WorkBudget.Tick();
            var generation = n == 0 ? 65535 : freedGenerations.GetValueOrDefault(n);
            if (previousFree >= 0) list[previousFree] = list[previousFree] with { F2 = n };
            previousFree = list.Count;
            list.Add((n, 0, 0, generation));
        }

        return list;
    }

    private static List<(int Number, int Type, long F2, long F3)> Sparse(SortedDictionary<int, (int Type, long F2, long F3)> rows)
    {
        var list = new List<(int Number, int Type, long F2, long F3)>(rows.Count + 1) { (0, 0, 0, 65535) };
        foreach (var (n, (type, f2, f3)) in rows) list.Add((n, type, f2, f3));
        return list;
    }

    /// <summary>The objects written, by number; an object written twice counts with its last position.</summary>
    private List<(int Number, long Offset, int Generation)> Written()
    {
        var order = new (int Number, int Sequence)[_written.Count];
        for (var i = 0; i < order.Length; i++) order[i] = (_written[i].Number, i);
        Array.Sort(order);
        var written = new List<(int Number, long Offset, int Generation)>(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            if (i + 1 < order.Length && order[i + 1].Number == order[i].Number) continue;
            written.Add(_written[order[i].Sequence]);
        }

        return written;
    }

    /// <param name="rows">Sorted by number, each number once.</param>
    private void WriteSection(XrefStyle style, List<(int Number, int Type, long F2, long F3)> rows, PdfDictionary trailer, long? prev, int size)
    {
        if (style == XrefStyle.Stream)
        {
            // The stream takes the next free number and lists itself.
            WriteXrefStream(size, rows, trailer, prev, size + 1);
            return;
        }

        var xrefOffset = _base + _buffer.Length;
        _buffer.Write("xref\n"u8);
        var at = 0;
        foreach (var (first, count) in Runs(rows.Select(r => r.Number)))
        {
            WriteSubsectionHeader(first, count);
            for (var k = 0; k < count; k++, at++)
            {
                WorkBudget.Tick();
                var (_, type, offset, generation) = rows[at];
                WriteEntry(offset, (int)generation, type == 0 ? 'f' : 'n');
            }
        }

        WriteTrailer(trailer, size, prev, xrefOffset);
    }

    private void WriteXrefStream(int streamNumber, List<(int Number, int Type, long F2, long F3)> rows, PdfDictionary trailer, long? prev, int size)
    {
        var xrefOffset = _base + _buffer.Length;
        rows.Add((streamNumber, 1, xrefOffset, 0));
        var w2 = BytesFor(rows.Max(r => r.F2));
        var w3 = Math.Max(1, BytesFor(rows.Max(r => r.F3)));
        var data = new byte[rows.Count * (1 + w2 + w3)];
        var index = new PdfArray();
        var pos = 0;
        var ordered = rows.OrderBy(r => r.Number).ToList();
        foreach (var (first, count) in Runs(ordered.Select(r => r.Number)))
        {
            index.Add(PdfInteger.Of(first));
            index.Add(PdfInteger.Of(count));
        }

        foreach (var (_, type, f2, f3) in ordered)
        {
            data[pos++] = (byte)type;
            PutBigEndian(data.AsSpan(pos, w2), f2);
            pos += w2;
            PutBigEndian(data.AsSpan(pos, w3), f3);
            pos += w3;
        }

        var dict = new PdfDictionary(trailer.Count + 8);
        dict.Set("Type", PdfName.Of("XRef"));
        foreach (var (k, v) in trailer.Entries) dict.Set(k, v);
        dict.Set("Size", PdfInteger.Of(size));
        dict.Set("Index", index);
        dict.Set("W", new PdfArray([PdfInteger.Of(1), PdfInteger.Of(w2), PdfInteger.Of(w3)]));
        if (prev is { } p) dict.Set("Prev", PdfInteger.Of(p));
        // The cross-reference stream is never encrypted (§7.6.2), nor are the /ID strings it carries.
        Serializer.WriteIndirect(new ObjectId(streamNumber, 0), new PdfStream(dict, data), encrypt: false);
        _buffer.Write("startxref\n"u8);
        _buffer.WriteInteger(xrefOffset);
        _buffer.Write("\n%%EOF\n"u8);
    }

    private void WriteTrailer(PdfDictionary trailer, int size, long? prev, long xrefOffset)
    {
        var dict = new PdfDictionary(trailer.Count + 2);
        foreach (var (k, v) in trailer.Entries) dict.Set(k, v);
        dict.Set("Size", PdfInteger.Of(size));
        if (prev is { } p) dict.Set("Prev", PdfInteger.Of(p));
        _buffer.Write("trailer\n"u8);
        Serializer.WriteDirect(dict);
        _buffer.Write("\nstartxref\n"u8);
        _buffer.WriteInteger(xrefOffset);
        _buffer.Write("\n%%EOF\n"u8);
    }

    private void WriteSubsectionHeader(int first, int count)
    {
        _buffer.WriteInteger(first);
        _buffer.WriteByte((byte)' ');
        _buffer.WriteInteger(count);
        _buffer.WriteByte((byte)'\n');
    }

    // Each entry is exactly 20 bytes, ending in CR LF (§7.5.4).
    private void WriteEntry(long offset, int generation, char type)
    {
        _buffer.WritePadded(offset, 10);
        _buffer.WriteByte((byte)' ');
        _buffer.WritePadded(generation, 5);
        _buffer.WriteByte((byte)' ');
        _buffer.WriteByte((byte)type);
        _buffer.Write("\r\n"u8);
    }

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> sortedNumbers)
    {
        var first = -1;
        var count = 0;
        foreach (var n in sortedNumbers)
        {
            if (count > 0 && n == first + count)
            {
                count++;
                continue;
            }

            if (count > 0) yield return (first, count);
            first = n;
            count = 1;
        }

        if (count > 0) yield return (first, count);
    }

    private static int BytesFor(long value)
    {
        var n = 1;
        while (value > 0xFF)
        {
            value >>= 8;
            n++;
        }

        return n;
    }

    private static void PutBigEndian(Span<byte> dst, long value)
    {
        for (var i = dst.Length - 1; i >= 0; i--)
        {
            dst[i] = (byte)value;
            value >>= 8;
        }
    }

    public void Dispose() => _buffer.Dispose();
}
