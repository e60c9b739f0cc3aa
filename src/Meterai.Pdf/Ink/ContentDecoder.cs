using Meterai.Pdf.Filters;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Ink;

/// <summary>
/// Decodes a content stream (a page's or a form's) for the ink scan: the filters content is written with in practice
/// (Flate, LZW, ASCII hex and base-85, none). Anything else (a content stream "compressed" as an image, a crypt filter
/// by name) makes the page's ink unknown.
/// </summary>
internal static class ContentDecoder
{
    public static byte[] Decode(PdfDocument doc, PdfStream stream, ObjectId id, int maxOutput)
    {
        var data = doc.ReadRawStream(stream, id);
        var filters = doc.Resolve(stream.Dictionary["Filter"]) switch
        {
            PdfName n => [n],
            PdfArray a => a.Select(f => doc.Resolve(f)).ToList(),
            _ => new List<PdfObject>(),
        };
        var parms = doc.Resolve(stream.Dictionary["DecodeParms"]);
        for (var i = 0; i < filters.Count; i++)
        {
            var p = parms is PdfArray pa ? (i < pa.Count ? doc.Resolve(pa[i]) : null) : parms;
            data = (filters[i] as PdfName)?.Value switch
            {
                "FlateDecode" or "Fl" => Predict(FlateDecoder.Decode(data, maxOutput), p, doc),
                "LZWDecode" or "LZW" => Predict(Lzw.Decode(data, maxOutput, EarlyChange(p, doc)), p, doc),
                "ASCIIHexDecode" or "AHx" => AsciiFilters.Hex(data),
                "ASCII85Decode" or "A85" => AsciiFilters.Base85(data),
                var other => throw new InkUnknownException($"a content stream uses the filter {other ?? filters[i].ToString()}"),
            };
            if (data.Length > maxOutput) throw new InkBudgetException($"a content stream decodes to more than {maxOutput} bytes");
        }

        return data;
    }

    private static byte[] Predict(byte[] data, PdfObject? parms, PdfDocument doc)
    {
        if (parms is not PdfDictionary p || Int(doc.Resolve(p["Predictor"]), 1) <= 1) return data;
        if (Int(doc.Resolve(p["Predictor"]), 1) < 10) throw new InkUnknownException("a content stream uses a TIFF predictor");
        return PngPredictor.Undo(data, Int(doc.Resolve(p["Colors"]), 1), Int(doc.Resolve(p["BitsPerComponent"]), 8), Int(doc.Resolve(p["Columns"]), 1));
    }

    private static bool EarlyChange(PdfObject? parms, PdfDocument doc) =>
        parms is not PdfDictionary p || Int(doc.Resolve(p["EarlyChange"]), 1) != 0;

    private static int Int(PdfObject? o, int fallback) => o is PdfInteger i && i.Value is >= int.MinValue and <= int.MaxValue ? (int)i.Value : fallback;
}

/// <summary>The page's content could not be read far enough to know where its ink is.</summary>
internal sealed class InkUnknownException(string message) : Exception(message);

/// <summary>The ink scan's own bound was reached (it must leave the stamp's budget to the stamp).</summary>
internal sealed class InkBudgetException(string message) : Exception(message);
