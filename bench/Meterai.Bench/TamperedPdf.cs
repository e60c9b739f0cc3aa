using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Bench;

/// <summary>
/// The ways someone changes a stamped document after stamping that a verifier must see, as files: a page that draws an
/// object the file never defined (so nothing is drawn when it is stamped) and the update that defines it later; an
/// unsigned annotation with its own appearance laid over the page. Used by the engine's tests and the attack set.
/// </summary>
public static partial class TamperedPdf
{
    /// <summary>The object a <see cref="WithMissingXObject"/> page draws but the file does not define.</summary>
    public const int MissingXObject = 900;

    /// <summary>
    /// A one-page A4 sample (catalog 1, pages 2, font 3, page 4, content 5) whose content draws Form XObject
    /// <see cref="MissingXObject"/>, which does not exist: viewers draw nothing for it, the engine stamps it.
    /// </summary>
    public static byte[] WithMissingXObject() => Write(
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /X9 {MissingXObject} 0 R >> >> /Contents 5 0 R >>",
        Stream("BT /F1 16 Tf 60 760 Td (Surat Pernyataan: jumlah Rp10.000.000) Tj ET q /X9 Do Q"),
    ]);

    /// <summary>
    /// The attack on <see cref="WithMissingXObject"/> after stamping: an update that only defines object
    /// <see cref="MissingXObject"/>, a white box over the page with another amount. No signed object is rewritten.
    /// </summary>
    public static byte[] DefineMissingXObject(byte[] stamped) => PdfUpdate.To(stamped)
        .AddStream(MissingXObject, "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>",
            "1 g 0 0 595 842 re f 0 g BT /F1 16 Tf 60 760 Td (Surat Pernyataan: jumlah Rp99.000.000) Tj ET")
        .Write();

    /// <summary>
    /// An update that lays an unsigned annotation with its own appearance (a white box and another amount) over page
    /// object <paramref name="page"/>: <paramref name="subtype"/> FreeText, Square, Stamp… or Widget (an unsigned
    /// signature field, added to the form too; <paramref name="signature"/> gives it a /V, e.g. a forged signature's body).
    /// </summary>
    public static byte[] WithOverlayAnnotation(byte[] stamped, int page = 4, string subtype = "Square", string? signature = null)
    {
        var update = PdfUpdate.To(stamped);
        var value = "";
        if (signature is not null)
        {
            var sig = update.Allocate();
            update.Add(sig, signature);
            value = $" /V {sig} 0 R";
        }

        var annot = update.Allocate();
        var look = update.Allocate();
        update.AddStream(look, "/Type /XObject /Subtype /Form /BBox [0 0 400 40] /Resources << /Font << /F1 3 0 R >> >>",
            "1 g 0 0 400 40 re f 0 g BT /F1 16 Tf 10 14 Td (jumlah Rp99.000.000) Tj ET");
        var field = subtype == "Widget" ? " /FT /Sig /T (Tanda tangan palsu)" + value : "";
        update.Add(annot, $"<< /Type /Annot /Subtype /{subtype}{field} /Rect [50 740 450 780] /F 4 /P {page} 0 R /AP << /N {look} 0 R >> >>");
        update.Add(page, AddToArray(LastBody(stamped, page), "Annots", $"{annot} 0 R"));
        if (subtype == "Widget" && FormReference(stamped) is { } form) update.Add(form, AddToArray(LastBody(stamped, form), "Fields", $"{annot} 0 R"));
        return update.Write();
    }

    /// <summary>The body (between "N 0 obj" and "endobj") of the last definition of object <paramref name="number"/> written plainly in the file.</summary>
    public static string LastBody(byte[] pdf, int number)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var matches = Regex.Matches(text, $@"(?s)(?<![0-9]){number} 0 obj\s*(.*?)\s*endobj");
        if (matches.Count == 0) throw new InvalidOperationException($"object {number} is not written plainly in the file");
        return matches[^1].Groups[1].Value;
    }

    /// <summary>The interactive form's object number when the catalog names it indirectly.</summary>
    public static int? FormReference(byte[] pdf)
    {
        var matches = AcroForm().Matches(Encoding.Latin1.GetString(pdf));
        return matches.Count == 0 ? null : int.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A dictionary body with <paramref name="item"/> appended to its direct array <paramref name="key"/> (created when absent).</summary>
    public static string AddToArray(string dictionary, string key, string item)
    {
        var existing = Regex.Match(dictionary, $@"/{key}\s*\[");
        if (existing.Success)
        {
            var close = dictionary.IndexOf(']', existing.Index);
            return dictionary[..close] + " " + item + dictionary[close..];
        }

        var end = dictionary.LastIndexOf(">>", StringComparison.Ordinal);
        return dictionary[..end] + $" /{key} [{item}] " + dictionary[end..];
    }

    private static string Stream(string content) => $"<< /Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream";

    private static byte[] Write(IReadOnlyList<string> objects) => SamplePdf.Write(objects);

    [GeneratedRegex(@"/AcroForm\s+(\d+)\s+0\s+R")]
    private static partial Regex AcroForm();
}
