using Meterai.Core.Common;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Stamping;

/// <summary>Reads one page's geometry, so that a caller can choose where the stamp goes before stamping.</summary>
public static class PageInspector
{
    public static Result<PageGeometry> Describe(Stream input, int page, string? password = null, PdfLimits? limits = null)
    {
        limits ??= PdfLimits.Default;
        using var budget = WorkBudget.Enter(limits);
        try
        {
            var probe = new StampRequest
            {
                Serial = default,
                Page = page,
                Rectangle = new PdfRect(0, 0, 0, 0),
                SigningTime = default,
                Password = password,
            };
            var info = StampAnalyzer.Locate(ByteSource.For(input), probe, limits);
            return new PageGeometry(page, info.PageCount, info.MediaBox, info.CropBox, info.Rotate);
        }
        catch (PdfFormatException e)
        {
            return e.ToError();
        }
        catch (WorkBudgetExceededException e)
        {
            return e.ToError();
        }
    }
}
