using Meterai.Pdf.Filters;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Ink;

/// <summary>
/// A content stream (a page's or a form's) decoded for the ink scan through the engine's one stream decoder. A filter
/// outside the content set or a damaged stream makes the page's ink unknown; output past the bound is the scan's limit.
/// </summary>
internal static class ContentDecoder
{
    public static byte[] Decode(PdfDocument doc, PdfStream stream, ObjectId id, int maxOutput)
    {
        var raw = doc.ReadRawStream(stream, id);
        try
        {
            return StreamDecoder.DecodeContent(stream.Dictionary, raw, maxOutput, o => doc.Resolve(o));
        }
        catch (PdfFormatException e) when (e.Code == PdfErrorCodes.LimitExceeded)
        {
            throw new InkBudgetException(e.Message);
        }
        catch (PdfFormatException e)
        {
            throw new InkUnknownException(e.Message);
        }
    }
}

/// <summary>The page's content could not be read far enough to know where its ink is.</summary>
internal sealed class InkUnknownException(string message) : Exception(message);

/// <summary>The ink scan's own bound was reached (it must leave the stamp's budget to the stamp).</summary>
internal sealed class InkBudgetException(string message) : Exception(message);
