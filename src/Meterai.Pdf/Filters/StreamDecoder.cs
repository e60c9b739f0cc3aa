using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Filters;

/// <summary>
/// Decodes the only streams the engine ever needs to look inside: cross-reference streams and object streams.
/// Content streams, images and fonts are never decoded. Only /FlateDecode (with predictors) is accepted here,
/// which is what every writer uses for these two kinds.
/// </summary>
internal static class StreamDecoder
{
    public static byte[] Decode(PdfDictionary dictionary, byte[] raw, int maxOutput, Func<PdfObject?, PdfObject?> resolve)
    {
        var filter = resolve(dictionary["Filter"]);
        var parms = resolve(dictionary["DecodeParms"]);
        if (filter is PdfArray filters)
        {
            if (filters.Count == 0) filter = null;
            else if (filters.Count == 1)
            {
                filter = resolve(filters[0]);
                if (parms is PdfArray pa) parms = pa.Count > 0 ? resolve(pa[0]) : null;
            }
            else throw PdfFormatException.Malformed("cross-reference and object streams with several filters are not supported");
        }

        if (filter is null or PdfNull)
        {
            if (raw.Length > maxOutput) throw PdfFormatException.Limit($"a stream is larger than {maxOutput} bytes");
            return raw;
        }

        if (filter is not PdfName { Value: "FlateDecode" or "Fl" })
        {
            throw PdfFormatException.Malformed($"unsupported filter {filter} on a cross-reference or object stream");
        }

        var decoded = FlateDecoder.Decode(raw, maxOutput);
        if (parms is PdfDictionary p && Int(resolve(p["Predictor"]), 1) is var predictor && predictor > 1)
        {
            if (predictor < 10) throw PdfFormatException.Malformed("TIFF predictors are not supported on cross-reference or object streams");
            return PngPredictor.Undo(decoded, Int(resolve(p["Colors"]), 1), Int(resolve(p["BitsPerComponent"]), 8), Int(resolve(p["Columns"]), 1));
        }

        return decoded;
    }

    private static int Int(PdfObject? o, int fallback) => o is PdfInteger i && i.Value is >= int.MinValue and <= int.MaxValue ? (int)i.Value : fallback;
}
