using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Bench;

/// <summary>
/// Appends an incremental update to a PDF, written by hand the way another editor (or someone changing a stamped
/// document) would: objects written plainly or packed into a new object stream, objects freed, and a cross-reference
/// table or stream chained to the file's last one. For the verification tests and the attack set, which must build
/// updates our own engine never writes. Reads only what it needs from the file's text (the last startxref, the largest
/// /Size, the last /Root): meant for unencrypted files.
/// </summary>
public sealed partial class PdfUpdate
{
    private readonly byte[] _base;
    private readonly List<(int Number, byte[] Body)> _objects = [];
    private readonly List<(int Number, string Body)> _compressed = [];
    private readonly List<int> _freed = [];

    private PdfUpdate(byte[] pdf)
    {
        _base = pdf;
        var text = Encoding.Latin1.GetString(pdf);
        PreviousStartXref = long.Parse(StartXref().Matches(text)[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        Size = Sizes().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Max();
        Root = Roots().Matches(text)[^1].Groups[1].Value;
    }

    /// <summary>Offset of the cross-reference section the update's /Prev names.</summary>
    public long PreviousStartXref { get; }

    /// <summary>The trailer's /Size so far: the next free object number (grows as objects are allocated).</summary>
    public int Size { get; private set; }

    /// <summary>The catalog reference the trailer names ("1 0 R").</summary>
    public string Root { get; set; }

    /// <summary>More trailer entries, e.g. "/Info 30 0 R".</summary>
    public string TrailerExtra { get; set; } = "";

    public static PdfUpdate To(byte[] pdf) => new(pdf);

    /// <summary>A fresh object number.</summary>
    public int Allocate() => Size++;

    /// <summary>Object <paramref name="number"/> (new or replacing the current one) with a non-stream body.</summary>
    public PdfUpdate Add(int number, string body)
    {
        _objects.Add((number, Encoding.Latin1.GetBytes(body)));
        Grow(number);
        return this;
    }

    /// <summary>A stream object; <paramref name="dictionaryEntries"/> without /Length, which is added.</summary>
    public PdfUpdate AddStream(int number, string dictionaryEntries, string data)
    {
        var bytes = Encoding.Latin1.GetBytes(data);
        _objects.Add((number, Encoding.Latin1.GetBytes($"<< {dictionaryEntries} /Length {bytes.Length} >>\nstream\n{data}\nendstream")));
        Grow(number);
        return this;
    }

    /// <summary>An object written inside a new object stream (a non-stream body, as §7.5.7 requires).</summary>
    public PdfUpdate AddCompressed(int number, string body)
    {
        _compressed.Add((number, body));
        Grow(number);
        return this;
    }

    /// <summary>Marks object <paramref name="number"/> free (deleted) in the new section.</summary>
    public PdfUpdate Free(int number)
    {
        _freed.Add(number);
        Grow(number);
        return this;
    }

    /// <summary>The file with the update appended; a cross-reference stream when <paramref name="xrefStream"/>, else a table.</summary>
    public byte[] Write(bool xrefStream = false)
    {
        var output = new MemoryStream();
        output.Write(_base);
        if (_base.Length > 0 && _base[^1] is not ((byte)'\n' or (byte)'\r')) output.WriteByte((byte)'\n');
        var inFile = new List<(int Number, long Offset)>();
        var packed = new List<(int Number, int Container, int Index)>();
        foreach (var (number, body) in _objects)
        {
            inFile.Add((number, output.Length));
            Write(output, $"{number} 0 obj\n");
            output.Write(body);
            Write(output, "\nendobj\n");
        }

        if (_compressed.Count > 0)
        {
            var container = Allocate();
            var header = new StringBuilder();
            var bodies = new StringBuilder();
            for (var i = 0; i < _compressed.Count; i++)
            {
                header.Append(CultureInfo.InvariantCulture, $"{_compressed[i].Number} {Encoding.Latin1.GetByteCount(bodies.ToString())} ");
                bodies.Append(_compressed[i].Body).Append('\n');
                packed.Add((_compressed[i].Number, container, i));
            }

            var data = header + "\n" + bodies;
            var first = Encoding.Latin1.GetByteCount(header.ToString()) + 1;
            inFile.Add((container, output.Length));
            Write(output, $"{container} 0 obj\n<< /Type /ObjStm /N {_compressed.Count} /First {first} /Length {Encoding.Latin1.GetByteCount(data)} >>\nstream\n{data}\nendstream\nendobj\n");
        }

        if (xrefStream || packed.Count > 0) WriteXrefStream(output, inFile, packed);
        else WriteXrefTable(output, inFile);
        return output.ToArray();
    }

    private void WriteXrefTable(MemoryStream output, List<(int Number, long Offset)> inFile)
    {
        var entries = inFile.Select(e => (e.Number, Line: $"{e.Offset:D10} 00000 n\r\n"))
            .Concat(_freed.Select(n => (Number: n, Line: "0000000000 00001 f\r\n")))
            .OrderBy(e => e.Number).ToList();
        var at = output.Length;
        var sb = new StringBuilder("xref\n");
        foreach (var run in Runs(entries.Select(e => e.Number).ToList()))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{run.First} {run.Count}\n");
            foreach (var e in entries.Where(e => e.Number >= run.First && e.Number < run.First + run.Count)) sb.Append(e.Line);
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {Size} /Root {Root} /Prev {PreviousStartXref} {TrailerExtra}>>\nstartxref\n{at}\n%%EOF\n");
        Write(output, sb.ToString());
    }

    private void WriteXrefStream(MemoryStream output, List<(int Number, long Offset)> inFile, List<(int Number, int Container, int Index)> packed)
    {
        var self = Allocate();
        var at = output.Length;
        var rows = inFile.Select(e => (e.Number, Type: (byte)1, A: e.Offset, B: 0))
            .Concat(packed.Select(p => (p.Number, Type: (byte)2, A: (long)p.Container, B: p.Index)))
            .Concat(_freed.Select(n => (Number: n, Type: (byte)0, A: 0L, B: 1)))
            .Append((Number: self, Type: (byte)1, A: at, B: 0))
            .OrderBy(r => r.Number).ToList();
        var data = new MemoryStream();
        foreach (var r in rows)
        {
            data.WriteByte(r.Type);
            for (var shift = 24; shift >= 0; shift -= 8) data.WriteByte((byte)(r.A >> shift));
            data.WriteByte((byte)(r.B >> 8));
            data.WriteByte((byte)r.B);
        }

        var index = string.Join(" ", Runs(rows.Select(r => r.Number).ToList()).Select(r => $"{r.First} {r.Count}"));
        Write(output, $"{self} 0 obj\n<< /Type /XRef /Size {Size} /W [1 4 2] /Index [{index}] /Root {Root} /Prev {PreviousStartXref} {TrailerExtra}/Length {data.Length} >>\nstream\n");
        output.Write(data.ToArray());
        Write(output, $"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n");
    }

    private void Grow(int number)
    {
        if (number >= Size) Size = number + 1;
    }

    private static IEnumerable<(int First, int Count)> Runs(List<int> sorted)
    {
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            yield return (sorted[i], j - i + 1);
            i = j + 1;
        }
    }

    private static void Write(MemoryStream output, string text) => output.Write(Encoding.Latin1.GetBytes(text));

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"/Size\s+(\d+)")]
    private static partial Regex Sizes();

    [GeneratedRegex(@"/Root\s+(\d+\s+\d+\s+R)")]
    private static partial Regex Roots();
}
