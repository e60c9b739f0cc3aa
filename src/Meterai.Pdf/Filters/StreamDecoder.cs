using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Filters;

/// <summary>
/// Decodes the only streams the engine ever needs to look inside, each kind with the filters its writers use:
/// cross-reference and object streams (<see cref="Decode"/>: one /FlateDecode, with predictors) and content streams,
/// which only the ink scan reads (<see cref="DecodeContent"/>: a chain of Flate, LZW, ASCII hex and base-85).
/// Images and fonts are never decoded. A filter outside the kind's set is malformed; output past
/// <c>maxOutput</c> is a limit.
/// </summary>
internal static class StreamDecoder
{
    public static byte[] Decode(PdfDictionary dictionary, byte[] raw, int maxOutput, Func<PdfObject?, PdfObject?> resolve)
    {
        var (filters, parms) = Chain(dictionary, resolve);
        if (filters.Count > 1) throw PdfFormatException.Malformed("cross-reference and object streams with several filters are not supported");
        if (filters.Count == 1 && filters[0] is not PdfName { Value: "FlateDecode" or "Fl" })
        {
            throw PdfFormatException.Malformed($"unsupported filter {filters[0]} on a cross-reference or object stream");
        }

        return Run(filters, parms, raw, maxOutput, resolve, "cross-reference or object streams");
    }

    public static byte[] DecodeContent(PdfDictionary dictionary, byte[] raw, int maxOutput, Func<PdfObject?, PdfObject?> resolve)
    {
        var (filters, parms) = Chain(dictionary, resolve);
        return Run(filters, parms, raw, maxOutput, resolve, "content streams");
    }

    private static byte[] Run(List<PdfObject?> filters, List<PdfObject?> parms, byte[] data, int maxOutput, Func<PdfObject?, PdfObject?> resolve, string kind)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            var p = parms[i];
            data = (filters[i] as PdfName)?.Value switch
            {
                "FlateDecode" or "Fl" => Predict(FlateDecoder.Decode(data, maxOutput), p, resolve, kind),
                "LZWDecode" or "LZW" => Predict(Lzw.Decode(data, maxOutput, EarlyChange(p, resolve)), p, resolve, kind),
                "ASCIIHexDecode" or "AHx" => AsciiFilters.Hex(data),
                "ASCII85Decode" or "A85" => AsciiFilters.Base85(data),
                _ => throw PdfFormatException.Malformed($"unsupported filter {filters[i]} on {kind}"),
            };
        }

        if (data.Length > maxOutput) throw PdfFormatException.Limit($"a stream decodes to more than {maxOutput} bytes");
        return data;
    }

    /// <summary>The stream's filters, resolved, each beside its own decode parameters (null when it has none).</summary>
    private static (List<PdfObject?> Filters, List<PdfObject?> Parms) Chain(PdfDictionary dictionary, Func<PdfObject?, PdfObject?> resolve)
    {
        var filter = resolve(dictionary["Filter"]);
        var parms = resolve(dictionary["DecodeParms"]);
        if (filter is PdfArray array)
        {
            var filters = array.Select(f => resolve(f)).ToList();
            var each = filters.Select((_, i) => parms is PdfArray pa ? (i < pa.Count ? resolve(pa[i]) : null) : parms).ToList();
            return (filters, each);
        }

        return filter is null or PdfNull ? ([], []) : ([filter], [parms is PdfArray one ? (one.Count > 0 ? resolve(one[0]) : null) : parms]);
    }

    private static byte[] Predict(byte[] data, PdfObject? parms, Func<PdfObject?, PdfObject?> resolve, string kind)
    {
        if (parms is not PdfDictionary p) return data;
        var predictor = Int(resolve(p["Predictor"]), 1);
        if (predictor <= 1) return data;
        if (predictor < 10) throw PdfFormatException.Malformed($"TIFF predictors are not supported on {kind}");
        return PngPredictor.Undo(data, Int(resolve(p["Colors"]), 1), Int(resolve(p["BitsPerComponent"]), 8), Int(resolve(p["Columns"]), 1));
    }

    private static bool EarlyChange(PdfObject? parms, Func<PdfObject?, PdfObject?> resolve) =>
        parms is not PdfDictionary p || Int(resolve(p["EarlyChange"]), 1) != 0;

    private static int Int(PdfObject? o, int fallback) => o is PdfInteger i && i.Value is >= int.MinValue and <= int.MaxValue ? (int)i.Value : fallback;
}
