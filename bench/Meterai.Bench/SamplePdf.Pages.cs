using System.Text;

namespace Meterai.Bench;

/// <summary>One-page PDFs drawing what a test says: for the automatic placement's tests and the bench.</summary>
public static partial class SamplePdf
{
    /// <summary>
    /// A single A4 page (unless <paramref name="mediaBox"/> says otherwise) with <paramref name="content"/> as its content
    /// stream, Helvetica as /F1, and <paramref name="forms"/> as form XObjects /Fm0, /Fm1 … (each a content stream with
    /// its /BBox, which may use /F1 too).
    /// </summary>
    /// <param name="resources">More entries of the page's /Resources (e.g. <c>/ExtGState &lt;&lt; /GS0 &lt;&lt; /ca 0.5 &gt;&gt; &gt;&gt;</c>).</param>
    public static byte[] Page(string content, string mediaBox = "0 0 595 842", int rotate = 0, string? cropBox = null, string resources = "", params (string BBox, string Content)[] forms)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var xobjects = string.Join(" ", forms.Select((_, i) => $"/Fm{i} {6 + i} 0 R"));
        var crop = cropBox is null ? "" : $" /CropBox [{cropBox}]";
        objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [{mediaBox}]{crop} /Rotate {rotate} /Resources << /Font << /F1 3 0 R >> /XObject << {xobjects} >> {resources}>> /Contents 5 0 R >>");
        objects.Add(Stream("", content));
        foreach (var (bbox, formContent) in forms)
        {
            objects.Add(Stream($"/Type /XObject /Subtype /Form /BBox [{bbox}] /Resources << /Font << /F1 3 0 R >> >> ", formContent));
        }

        return Write(objects);
    }

    /// <summary>Lines of 10 pt text from (<paramref name="x"/>, <paramref name="top"/>) down to <paramref name="bottom"/>, each about <paramref name="chars"/> characters.</summary>
    public static string TextBlock(double x, double top, double bottom, int chars)
    {
        var sb = new StringBuilder("BT /F1 10 Tf 12 TL ");
        sb.Append(FormattableString.Invariant($"{x} {top} Td "));
        var line = new string('M', 1) + string.Concat(Enumerable.Repeat("enimbang ", chars / 9 + 1))[..Math.Max(1, chars - 1)];
        for (var y = top; y >= bottom; y -= 12) sb.Append('(').Append(line).Append(") Tj T* ");
        return sb.Append("ET").ToString();
    }

    private static string Stream(string dictionary, string content) =>
        $"<< {dictionary}/Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream";
}
