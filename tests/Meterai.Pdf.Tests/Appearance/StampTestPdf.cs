using System.Globalization;
using System.Text;
using Meterai.Pdf.Appearance;

namespace Meterai.Pdf.Tests.Appearance;

/// <summary>
/// Test-only: the smallest honest PDF that shows a stamp — catalog, pages, one page painting the stamp's Form XObject
/// with <c>Do</c>, the simple TrueType font with its descriptor and FontFile2, and a classic xref table — so that
/// qpdf, pdffonts, pdftotext, pdftoppm and zbarimg can judge the appearance before the real engine exists.
/// </summary>
internal static class StampTestPdf
{
    /// <summary>Room for a stamp up to 360 × 440 pt at (40, 60).</summary>
    public const double PageWidth = 400, PageHeight = 500;

    /// <summary>A page with the stamp's lower-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static byte[] Write(StampAppearance stamp, double x, double y, bool deflateFont = true)
    {
        var font = stamp.Font;
        var pdf = new MemoryStream();
        var offsets = new List<long>();

        void Text(string s) => pdf.Write(Encoding.Latin1.GetBytes(s));
        void Object(string body)
        {
            offsets.Add(pdf.Position);
            Text($"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        void Stream(string dictionary, byte[] data)
        {
            offsets.Add(pdf.Position);
            Text($"{offsets.Count} 0 obj\n<< {dictionary} /Length {data.Length} >>\nstream\n");
            pdf.Write(data);
            Text("\nendstream\nendobj\n");
        }

        string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        Text("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        Object("<< /Type /Catalog /Pages 2 0 R >>");
        Object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Object($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(PageWidth)} {N(PageHeight)}] /Resources << /XObject << /Stamp 5 0 R >> >> /Contents 4 0 R >>");
        Stream("", Encoding.ASCII.GetBytes($"q 1 0 0 1 {N(x)} {N(y)} cm /Stamp Do Q\n"));
        Stream($"/Type /XObject /Subtype /Form /BBox [0 0 {N(stamp.Width)} {N(stamp.Height)}] /Resources << /Font << /{StampAppearance.FontResourceName} 6 0 R >> >>", stamp.Content);
        Object($"<< /Type /Font /Subtype /TrueType /BaseFont /{font.BaseFont} /FirstChar {font.FirstChar} /LastChar {font.LastChar} " +
               $"/Widths [{string.Join(' ', font.Widths)}] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>");
        Object($"<< /Type /FontDescriptor /FontName /{font.BaseFont} /Flags {font.Flags} /FontBBox [{string.Join(' ', font.FontBBox)}] " +
               $"/ItalicAngle {font.ItalicAngle} /Ascent {font.Ascent} /Descent {font.Descent} /CapHeight {font.CapHeight} /StemV {font.StemV} /FontFile2 8 0 R >>");
        if (deflateFont) Stream($"/Length1 {font.FontFile2.Length} /Filter /FlateDecode", font.FontFile2Deflated);
        else Stream($"/Length1 {font.FontFile2.Length}", font.FontFile2);

        var xref = pdf.Position;
        Text($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Text($"{o:D10} 00000 n \n");
        Text($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }
}
