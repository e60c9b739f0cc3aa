using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Bench;

/// <summary>
/// Small valid PDFs written by hand (tests must pass without the shared corpus, and the attack set needs no file): a
/// catalog, a page tree, A4 pages with a line of text each (object 5 is page 1's content), a classic cross-reference
/// table.
/// </summary>
public static partial class SamplePdf
{
    public static byte[] Create(int pages = 2, string text = "Surat Pernyataan", int padding = 0)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(" ", Enumerable.Range(0, pages).Select(i => $"{4 + 2 * i} 0 R"))}] /Count {pages} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        for (var i = 0; i < pages; i++)
        {
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>");
            var content = $"BT /F1 16 Tf 60 760 Td ({text} - halaman {i + 1}) Tj ET";
            if (i == 0 && padding > 0) content += "\n%" + new string('x', padding); // a comment: makes the file as large as a test needs
            objects.Add($"<< /Length {Encoding.ASCII.GetByteCount(content)} >>\nstream\n{content}\nendstream");
        }

        return Write(objects);
    }

    /// <summary>Objects 1 … n (the catalog first) as a whole file with a classic cross-reference table.</summary>
    public static byte[] Write(IReadOnlyList<string> objects)
    {
        var sb = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var o in offsets) sb.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>
    /// Appends an incremental update that replaces page 1's content (object 5): a real change of what the stamp's
    /// signature sealed, as someone editing a stamped document would make.
    /// </summary>
    public static byte[] AppendContentChange(byte[] stamped)
    {
        var text = Encoding.Latin1.GetString(stamped);
        var startxref = long.Parse(StartXref().Matches(text)[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var size = Size().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Max();
        var content = "BT /F1 30 Tf 100 400 Td (DIUBAH / ALTERED) Tj ET";
        var update = $"\n5 0 obj\n<< /Length {content.Length} >>\nstream\n{content}\nendstream\nendobj\n";
        var xrefAt = stamped.Length + update.Length;
        update += $"xref\n5 1\n{stamped.Length + 1:D10} 00000 n\r\ntrailer\n<< /Size {size} /Root 1 0 R /Prev {startxref} >>\nstartxref\n{xrefAt}\n%%EOF\n";
        return [.. stamped, .. Encoding.Latin1.GetBytes(update)];
    }

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"/Size\s+(\d+)")]
    private static partial Regex Size();
}
