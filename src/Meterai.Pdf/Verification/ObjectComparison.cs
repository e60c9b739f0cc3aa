using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Verification;

/// <summary>
/// Compares an object as the signed revision defines it with its definition in the final file: references by number
/// and generation (what they point at is compared where it is itself rewritten), streams by dictionary and raw bytes.
/// </summary>
internal sealed class ObjectComparison(PdfDocument signed, PdfDocument final)
{
    public bool Same(PdfObject a, PdfObject b) => Same(a, b, 0);

    /// <summary>Both dictionaries hold equal values for every key outside <paramref name="allowed"/>; the first key that differs otherwise.</summary>
    public string? FirstDifferentKey(PdfDictionary before, PdfDictionary after, IReadOnlySet<string> allowed)
    {
        foreach (var key in before.Keys.Union(after.Keys))
        {
            if (allowed.Contains(key)) continue;
            var x = before[key];
            var y = after[key];
            if (x is null || y is null || !Same(x, y, 0)) return key;
        }

        return null;
    }

    private bool Same(PdfObject a, PdfObject b, int depth)
    {
        WorkBudget.Tick();
        if (ReferenceEquals(a, b)) return true;
        if (depth > signed.Limits.MaxNestingDepth) return false;
        switch (a, b)
        {
            case (PdfReference x, PdfReference y): return x.Id == y.Id;
            case (PdfInteger x, PdfInteger y): return x.Value == y.Value;
            case (PdfReal x, PdfReal y): return x.Value.Equals(y.Value);
            case (PdfInteger x, PdfReal y): return x.Value == y.Value;
            case (PdfReal x, PdfInteger y): return x.Value == y.Value;
            case (PdfName x, PdfName y): return x.Equals(y);
            case (PdfString x, PdfString y): return x.Bytes.AsSpan().SequenceEqual(y.Bytes);
            case (PdfBoolean x, PdfBoolean y): return x.Value == y.Value;
            case (PdfNull, PdfNull): return true;
            case (PdfArray x, PdfArray y):
                if (x.Count != y.Count) return false;
                for (var i = 0; i < x.Count; i++)
                {
                    if (!Same(x[i], y[i], depth + 1)) return false;
                }

                return true;
            case (PdfDictionary x, PdfDictionary y):
                if (x.Count != y.Count) return false;
                foreach (var (k, v) in x.Entries)
                {
                    if (y[k] is not { } w || !Same(v, w, depth + 1)) return false;
                }

                return true;
            case (PdfStream x, PdfStream y):
                return x.Length == y.Length && Same(x.Dictionary, y.Dictionary, depth + 1) && SameData(x, y);
            default:
                return false;
        }
    }

    private bool SameData(PdfStream x, PdfStream y)
    {
        if (x.InFile && y.InFile && x.DataOffset == y.DataOffset) return true;
        var limit = signed.Limits.MaxDecodedStreamBytes;
        if (x.Length > limit || y.Length > limit) return false;
        var bx = Raw(signed, x);
        var by = Raw(final, y);
        return bx.AsSpan().SequenceEqual(by);
    }

    private static byte[] Raw(PdfDocument doc, PdfStream s)
    {
        if (!s.InFile) return s.EncodedData!.Value.ToArray();
        var bytes = new byte[s.Length];
        var n = doc.Source.ReadAt(s.DataOffset, bytes);
        return n < bytes.Length ? bytes[..n] : bytes;
    }
}
