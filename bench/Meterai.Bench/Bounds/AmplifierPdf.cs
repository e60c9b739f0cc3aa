using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Bench.Bounds;

/// <summary>
/// The verification amplifier of issue 10 item 4, rebuilt: a one-page PDF with <c>objects</c> small filler objects is
/// stamped (a real e-Meterai signature, from a throwaway key; the page reaches every filler), then one incremental
/// update rewrites every filler and adds <c>fields - 1</c> more signature fields whose /V is the stamp's one signature
/// dictionary. A verifier that
/// judges each field on its own redoes the whole work per field (each comparing every rewritten object with its signed
/// version, each listing every one of them): about 100 × 20,000 comparisons and notes for a 2.5 MiB upload.
/// Seeded: the same seed gives the same structure and filler text (the signature differs, the key is new each time).
/// </summary>
public static partial class AmplifierPdf
{
    public const int DefaultFields = 100;
    /// <summary>With the extra fields and the form, just under the 20,000 objects the comparison of revisions looks at.</summary>
    public const int DefaultObjects = 19_900;

    public static byte[] Create(int seed = 1004, int fields = DefaultFields, int objects = DefaultObjects, ISigner? signer = null)
    {
        var random = new Random(seed);
        var original = Base(objects, random);
        var stamped = Stamp(original, signer);
        return AppendUpdate(stamped, original.Length, objects, fields, random);
    }

    /// <summary>Catalog 1, pages 2, page 3, fillers 4 … objects + 3, the page's list of them objects + 4: a classic cross-reference table.</summary>
    private static byte[] Base(int objects, Random random)
    {
        var sb = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<int>();
        void Add(string body)
        {
            offsets.Add(sb.Length);
            sb.Append(CultureInfo.InvariantCulture, $"{offsets.Count} 0 obj\n{body}\nendobj\n");
        }

        Add("<< /Type /Catalog /Pages 2 0 R >>");
        Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        // The page reaches every filler (through its /PieceInfo), so rewriting them is a change of what was signed, not
        // bookkeeping an allow-list may skip: the verifier has to look at each one.
        Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /PieceInfo << /Meterai << /LastModified (D:20240901000000Z) /Private {objects + 4} 0 R >> >> >>");
        for (var i = 0; i < objects; i++) Add(Filler(offsets.Count + 1, random));
        Add("[" + string.Join(" ", Enumerable.Range(4, objects).Select(n => $"{n} 0 R")) + "]");

        var xref = sb.Length;
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f\r\n");
        foreach (var o in offsets) sb.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static string Filler(int n, Random random) => $"<< /Seq {n} /Text ({Text(random, 12)}) >>";

    private static string Text(Random random, int length) => string.Create(length, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + r.Next(26));
    });

    /// <summary>Stamps <paramref name="original"/> once (page 1, bottom right), with a throwaway key unless a signer is given.</summary>
    public static byte[] Stamp(byte[] original, ISigner? signer = null)
    {
        var owned = signer is null ? BenchSigner.CreateRsa2048() : null;
        try
        {
            var engine = new StampEngine(new StampEngineOptions { PublicBaseUrl = "https://meterai.example" });
            using var output = new MemoryStream();
            var stamped = engine.Stamp(new MemoryStream(original, writable: false), output, new StampRequest
            {
                Serial = SerialNumber.New(),
                Rectangle = new PdfRect(431, 24, 571, 114),
                SigningTime = DateTimeOffset.UtcNow,
            }, signer ?? owned!);
            if (!stamped.IsOk) throw new InvalidOperationException($"the amplifier's base could not be stamped: {stamped.Error}");
            return output.ToArray();
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Rewrites every filler, adds the extra fields sharing the one /V, and lists them all in the form.</summary>
    private static byte[] AppendUpdate(byte[] stamped, int originalLength, int objects, int fields, Random random)
    {
        var increment = Encoding.Latin1.GetString(stamped, originalLength, stamped.Length - originalLength);
        var widget = Widget().Match(increment);
        var form = AcroForm().Match(increment);
        if (!widget.Success || !form.Success) throw new InvalidOperationException("the stamp's increment does not have the expected widget and form");
        var widgetNumber = Number(widget.Groups[1].Value);
        var signature = Number(widget.Groups[2].Value);
        var formNumber = Number(form.Groups[1].Value);
        var size = Size().Matches(increment).Select(m => Number(m.Groups[1].Value)).Max();
        var startxref = Number(StartXref().Matches(increment)[^1].Groups[1].Value);

        var sb = new StringBuilder("\n");
        var entries = new SortedDictionary<int, long>();
        void Put(int n, string body)
        {
            entries[n] = stamped.Length + sb.Length;
            sb.Append(CultureInfo.InvariantCulture, $"{n} 0 obj\n{body}\nendobj\n");
        }

        for (var n = 4; n < 4 + objects; n++) Put(n, Filler(n, random));
        var copies = Enumerable.Range(size, Math.Max(0, fields - 1)).ToList();
        foreach (var n in copies) Put(n, $"<< /Type /Annot /Subtype /Widget /FT /Sig /T (kopi {n}) /V {signature} 0 R /F 4 /Rect [0 0 0 0] /P 3 0 R >>");
        Put(formNumber, $"<< /Fields [{widgetNumber} 0 R{string.Concat(copies.Select(n => $" {n} 0 R"))}] /SigFlags 3 >>");

        var xref = stamped.Length + sb.Length;
        sb.Append("xref\n");
        foreach (var run in Runs(entries.Keys))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{run.First} {run.Count}\n");
            for (var n = run.First; n < run.First + run.Count; n++) sb.Append(CultureInfo.InvariantCulture, $"{entries[n]:D10} 00000 n\r\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {size + copies.Count} /Root 1 0 R /Prev {startxref} >>\nstartxref\n{xref}\n%%EOF\n");
        return [.. stamped, .. Encoding.Latin1.GetBytes(sb.ToString())];
    }

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> sorted)
    {
        int? first = null;
        var count = 0;
        foreach (var n in sorted)
        {
            if (first is { } f && n == f + count)
            {
                count++;
                continue;
            }

            if (first is { } done) yield return (done, count);
            first = n;
            count = 1;
        }

        if (first is { } last) yield return (last, count);
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) 0 obj\s*<</Type/Annot/Subtype/Widget/FT/Sig/T\([^)]*\)/V (\d+) 0 R")]
    private static partial Regex Widget();

    [GeneratedRegex(@"/AcroForm (\d+) 0 R")]
    private static partial Regex AcroForm();

    [GeneratedRegex(@"/Size\s+(\d+)")]
    private static partial Regex Size();

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();
}
