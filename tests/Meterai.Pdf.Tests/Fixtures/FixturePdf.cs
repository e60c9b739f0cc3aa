using System.Globalization;
using System.Text;

namespace Meterai.Pdf.Tests.Fixtures;

/// <summary>
/// Writes small, valid PDFs for tests that must run without the shared corpus: a page tree (optionally with
/// inherited attributes), pages with a little text and a frame, classic cross-reference table. Variants with
/// object streams, encryption or linearization are made from these by qpdf (<see cref="Fixtures"/>).
/// </summary>
internal sealed class FixturePdf
{
    public int Pages { get; init; } = 2;

    public double[] MediaBox { get; init; } = [0, 0, 595, 842];

    public double[]? CropBox { get; init; }

    public int Rotate { get; init; }

    /// <summary>Put /MediaBox, /CropBox and /Rotate on the /Pages node instead of each page.</summary>
    public bool Inherited { get; init; }

    public string Version { get; init; } = "1.4";

    /// <summary>An existing text field and AcroForm.</summary>
    public bool WithForm { get; init; }

    /// <summary>More entries for the form dictionary (e.g. /NeedAppearances true).</summary>
    public string FormExtra { get; init; } = "";

    /// <summary>More entries for the form field's dictionary (e.g. an /AP naming one of <see cref="ExtraObjects"/>).</summary>
    public string FieldExtra { get; init; } = "";

    /// <summary>More entries for the catalog dictionary (e.g. /Perms, /AcroForm).</summary>
    public string CatalogExtra { get; init; } = "";

    /// <summary>Extra objects by number (numbers above the page objects, e.g. 20 and up).</summary>
    public IReadOnlyList<(int Number, string Body)> ExtraObjects { get; init; } = [];

    /// <summary>Replaces the root's /Kids array (for broken trees: loops, missing kids).</summary>
    public string? KidsOverride { get; init; }

    public byte[] Build()
    {
        var objects = new List<string>();
        string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        string Box(double[] b) => "[" + string.Join(" ", b.Select(Num)) + "]";
        var pageAttrs = new StringBuilder();
        pageAttrs.Append($"/MediaBox {Box(MediaBox)}");
        if (CropBox is not null) pageAttrs.Append($" /CropBox {Box(CropBox)}");
        if (Rotate != 0) pageAttrs.Append($" /Rotate {Rotate}");

        // 1 catalog, 2 pages, 3 font, then per page: page, content; optional field.
        var firstPage = 4;
        var kids = KidsOverride ?? string.Join(" ", Enumerable.Range(0, Pages).Select(i => $"{firstPage + 2 * i} 0 R"));
        var fieldNumber = firstPage + 2 * Pages;
        objects.Add(WithForm
            ? $"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fieldNumber} 0 R] /DA (/Helv 0 Tf 0 g){FormExtra} >> >>"
            : $"<< /Type /Catalog /Pages 2 0 R {CatalogExtra}>>");
        objects.Add($"<< /Type /Pages /Kids [{kids}] /Count {Pages}{(Inherited ? " " + pageAttrs : "")} >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        var content = new List<string>();
        for (var i = 0; i < Pages; i++)
        {
            var annots = WithForm && i == 0 ? $" /Annots [{fieldNumber} 0 R]" : "";
            objects.Add($"<< /Type /Page /Parent 2 0 R{(Inherited ? "" : " " + pageAttrs)} /Resources << /Font << /F1 3 0 R >> >> /Contents {firstPage + 2 * i + 1} 0 R{annots} >>");
            var x = MediaBox[0] + 50;
            var y = MediaBox[3] - 80;
            var text = $"BT /F1 18 Tf {Num(x)} {Num(y)} Td (Fixture page {i + 1}) Tj ET 0.5 w {Num(MediaBox[0] + 40)} {Num(MediaBox[1] + 40)} {Num(MediaBox[2] - MediaBox[0] - 80)} {Num(MediaBox[3] - MediaBox[1] - 80)} re S";
            objects.Add($"<< /Length {Encoding.ASCII.GetByteCount(text)} >>\nstream\n{text}\nendstream");
            content.Add(text);
        }

        if (WithForm) objects.Add($"<< /FT /Tx /T (name) /V (Ratna) /Type /Annot /Subtype /Widget /Rect [60 60 200 80] /P {firstPage} 0 R /F 4{FieldExtra} >>");
        foreach (var (number, body) in ExtraObjects.OrderBy(o => o.Number))
        {
            while (objects.Count < number - 1) objects.Add("null");
            objects.Add(body);
        }

        var sb = new StringBuilder();
        sb.Append($"%PDF-{Version}\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        foreach (var (obj, i) in objects.Select((o, i) => (o, i)))
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{obj}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append($"xref\n0 {objects.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var o in offsets) sb.Append($"{o:D10} 00000 n\r\n");
        sb.Append($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }
}
