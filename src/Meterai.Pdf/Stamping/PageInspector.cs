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

    /// <summary>
    /// Where a stamp of <see cref="DefaultStampSize"/> goes on <paramref name="page"/> when the caller gives no
    /// rectangle: the free spot nearest the usual place (see <see cref="AutoPlacement"/>). Errors are the file's (it
    /// cannot be opened, no such page); a page whose ink cannot be read answers the usual place with the reason.
    /// </summary>
    public static Result<AutoPlacement> ChooseSpot(Stream input, int page, string? password = null, PdfLimits? limits = null)
    {
        limits ??= PdfLimits.Default;
        using var budget = WorkBudget.Enter(limits);
        try
        {
            var probe = Probe(page, password);
            return StampAnalyzer.WithRecovery(ByteSource.For(input), probe, limits, doc => Ink.SpotChooser.Choose(doc, StampAnalyzer.LocateIn(doc, probe), limits));
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

    private static StampRequest Probe(int page, string? password) => new()
    {
        Serial = default,
        Page = page,
        Rectangle = new PdfRect(0, 0, 0, 0),
        SigningTime = default,
        Password = password,
    };
}
