using Meterai.Bench;
using Meterai.Pdf.Ink;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Tests.Ink;

/// <summary>
/// Issue 11 item 5: the automatic placement on generated pages, whatever the default size is (every expectation is
/// worked out from <see cref="DefaultStampSize"/>): the usual place when it is free, the nearest free spot when ink
/// lies there, the usual place with the reason when the page is full or its ink cannot be read in the scan's share of
/// the budget.
/// </summary>
public class SpotChooserTests
{
    private const double W = DefaultStampSize.Width;
    private const double H = DefaultStampSize.Height;
    private const double M = DefaultStampSize.Margin;

    /// <summary>Where the stamp went before automatic placement, on an upright A4 page.</summary>
    private static readonly PdfRect Usual = new(595 - M - W, M, 595 - M, M + H);

    /// <summary>10 pt text lines over the whole bottom-right corner, the usual place included.</summary>
    private static readonly string BottomRightText = SamplePdf.TextBlock(250, M + H + 20, 10, 60);

    private static AutoPlacement Choose(byte[] pdf, PdfLimits? limits = null)
    {
        var chosen = PageInspector.ChooseSpot(new MemoryStream(pdf), 1, limits: limits);
        Assert.True(chosen.IsOk, chosen.Error?.ToString());
        return chosen.Value;
    }

    private static bool Overlaps(PdfRect a, PdfRect b) => a.X1 < b.X2 && b.X1 < a.X2 && a.Y1 < b.Y2 && b.Y1 < a.Y2;

    [Fact]
    public void A_free_usual_place_is_kept()
    {
        var spot = Choose(SamplePdf.Page(SamplePdf.TextBlock(60, 780, 600, 40)));

        Assert.Null(spot.Fallback);
        Assert.False(spot.Moved);
        Assert.Equal(Usual, spot.Rect);
    }

    [Fact]
    public void Text_at_the_bottom_right_moves_the_stamp_to_the_nearest_free_spot()
    {
        var pdf = SamplePdf.Page(BottomRightText);

        var spot = Choose(pdf);

        Assert.Null(spot.Fallback);
        Assert.True(spot.Moved);
        Assert.Equal(Usual, spot.UsualPlace);
        Assert.Equal((W, H), (Math.Round(spot.Rect.Width, 6), Math.Round(spot.Rect.Height, 6)));
        // Above the block on the right (straight up is nearer than anywhere left of 250 pt for any size that fits).
        Assert.Equal(Usual.X1, spot.Rect.X1, 6);
        Assert.True(spot.Rect.Y1 >= M + H + 20 + 10, $"{spot.Rect} should be above the text");
        Assert.True(spot.Rect.Y1 < M + H + 20 + 10 + 16, $"{spot.Rect} should be the nearest free spot, just above the text");
    }

    [Fact]
    public void A_full_page_keeps_the_usual_place_and_says_why()
    {
        var spot = Choose(SamplePdf.Page("0 0 0 rg 0 0 595 842 re f"));

        Assert.Equal(AutoPlacement.PageFull, spot.Fallback);
        Assert.Equal(Usual, spot.Rect);
    }

    [Fact]
    public void A_page_of_text_from_edge_to_edge_is_full()
    {
        var spot = Choose(SamplePdf.Page(SamplePdf.TextBlock(20, 830, 0, 120)));

        Assert.Equal(AutoPlacement.PageFull, spot.Fallback);
    }

    [Fact]
    public void White_paint_is_no_ink_and_erases_what_it_covers()
    {
        // A white page-sized background (as many writers draw) over earlier black: nothing left to avoid.
        var spot = Choose(SamplePdf.Page("0 g 400 10 190 200 re f 1 1 1 rg 0 0 595 842 re f 0 g " + SamplePdf.TextBlock(60, 780, 700, 30)));

        Assert.Equal((null, Usual), (spot.Fallback, spot.Rect));
    }

    [Theory]
    [InlineData("/GS0 gs 1 g 0 0 595 842 re f", "/ExtGState << /GS0 << /ca 0.5 >> >> ")] // half-transparent white
    [InlineData("/GS0 gs 1 g 0 0 595 842 re f", "/ExtGState << /GS0 << /BM /Multiply >> >> ")] // white multiplied keeps the black
    [InlineData("q 300 0 m 595 0 l 595 300 l h W n 1 g 0 0 595 842 re f Q", "")] // white through a triangular clip: only part of the box
    public void White_that_does_not_cover_what_is_under_it_erases_nothing(string white, string resources)
    {
        var spot = Choose(SamplePdf.Page("0 g 400 0 195 200 re f " + white, resources: resources));

        Assert.True(spot.Moved, $"{spot.Rect}: the black under the white is still ink");
    }

    [Fact]
    public void Invisible_text_is_no_ink()
    {
        // The text layer of a scanned page (render mode 3) shows nothing.
        var spot = Choose(SamplePdf.Page(BottomRightText.Replace("BT ", "BT 3 Tr ", StringComparison.Ordinal)));

        Assert.Equal((null, Usual), (spot.Fallback, spot.Rect));
    }

    [Fact]
    public void Ink_clipped_away_is_no_ink()
    {
        var spot = Choose(SamplePdf.Page("q 0 500 595 342 re W n " + BottomRightText + " Q"));

        Assert.Equal((null, Usual), (spot.Fallback, spot.Rect));
    }

    [Fact]
    public void Text_drawn_by_a_form_xobject_under_a_matrix_is_ink()
    {
        // The form draws its text at (0, 0); the page moves it to the bottom right.
        var form = ("0 0 400 200", SamplePdf.TextBlock(0, 190, 0, 60));
        var spot = Choose(SamplePdf.Page("q 1 0 0 1 240 5 cm /Fm0 Do Q", forms: form));

        Assert.Null(spot.Fallback);
        Assert.True(spot.Moved);
        Assert.False(Overlaps(spot.Rect, new PdfRect(240, 5, 640, 205)), $"{spot.Rect} overlaps the form's text");
    }

    [Fact]
    public void A_form_s_unbalanced_Q_does_not_undo_its_caller_s_save()
    {
        // Were the form's Q to pop the page's saved state, the page's own Q would leave the top-only clip in force and
        // the text after it would be clipped away.
        var spot = Choose(SamplePdf.Page("q 0 500 595 342 re W n /Fm0 Do Q " + BottomRightText, forms: ("0 0 10 10", "Q Q Q")));

        Assert.True(spot.Moved);
    }

    [Fact]
    public void An_inline_image_at_the_bottom_right_is_ink()
    {
        var spot = Choose(SamplePdf.Page("q 300 0 0 200 280 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \u0080 EI Q BT /F1 10 Tf 60 700 Td (after the image) Tj ET"));

        Assert.True(spot.Moved);
        Assert.False(Overlaps(spot.Rect, new PdfRect(280, 0, 580, 200)), $"{spot.Rect} overlaps the image");
        Assert.False(Overlaps(spot.Rect, new PdfRect(58, 690, 200, 715)), $"{spot.Rect} overlaps the text after the image");
    }

    [Fact]
    public void On_a_turned_page_the_usual_place_is_the_bottom_right_as_displayed_and_text_there_moves_the_stamp()
    {
        // /Rotate 90: the displayed bottom right is the user-space top right.
        var usual = new PageGeometry(1, 1, new PdfRect(0, 0, 595, 842), new PdfRect(0, 0, 595, 842), 90).BottomRight(W, H, M);
        var text = SamplePdf.TextBlock(usual.X1 - 20, 835, usual.Y1 - 30, 30);

        var spot = Choose(SamplePdf.Page(text, rotate: 90));

        Assert.Equal(usual, spot.UsualPlace);
        Assert.True(spot.Moved);
        Assert.Equal((H, W), (Math.Round(spot.Rect.Width, 6), Math.Round(spot.Rect.Height, 6)));
        Assert.True(new PdfRect(M, M, 595 - M, 842 - M).Contains(spot.Rect), $"{spot.Rect} is not inside the margin");
    }

    [Fact]
    public void The_crop_box_is_the_page()
    {
        // Ink outside the crop box does not count, and the stamp keeps the margin from the crop box's edges.
        var spot = Choose(SamplePdf.Page("0 g 0 0 100 842 re f", cropBox: "100 100 500 700"));

        var crop = new PdfRect(100, 100, 500, 700);
        Assert.Null(spot.Fallback);
        Assert.Equal(new PageGeometry(1, 1, new PdfRect(0, 0, 595, 842), crop, 0).BottomRight(W, H, M), spot.Rect);
    }

    [Fact]
    public void Past_the_scan_s_share_of_the_work_the_usual_place_is_kept_and_the_stamp_still_has_its_budget()
    {
        var calls = string.Concat(Enumerable.Repeat("/Fm0 Do\n", InkScanBounds.MaxForms + 1));
        var pdf = SamplePdf.Page(calls, forms: ("0 0 10 10", "0 0 m 1 1 l S"));

        var spot = Choose(pdf);

        Assert.Equal(AutoPlacement.WorkLimit, spot.Fallback);
        Assert.Equal(Usual, spot.Rect);
        var (output, _) = Meterai.Pdf.Tests.Stamping.StampTestKit.Stamp(pdf, Meterai.Pdf.Tests.Stamping.StampTestKit.Request(pdf, rect: spot.Rect));
        Assert.True(output.Length > pdf.Length);
    }

    [Fact]
    public void Content_in_a_filter_the_scan_does_not_read_keeps_the_usual_place()
    {
        var pdf = SamplePdf.Write([
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            "<< /Length 4 /Filter /RunLengthDecode >>\nstream\n\u0080abc\nendstream",
        ]);

        var spot = Choose(pdf);

        Assert.Equal(AutoPlacement.ContentUnreadable, spot.Fallback);
        Assert.Equal(Usual, spot.Rect);
    }

    [Fact]
    public void The_free_spot_search_takes_the_nearest_free_candidate_on_the_grid()
    {
        var visible = new PdfRect(0, 0, 400, 400);
        var usual = new PdfRect(300, 20, 380, 100);
        var grid = new OccupancyGrid(visible, usual.X1, usual.Y1, SpotChooser.Cell, clearance: 0);
        grid.Paint(new InkBox(0, 0, 400, 300)); // everything but the top quarter
        grid.Paint(new InkBox(200, 300, 400, 400)); // and its right half

        var spot = SpotChooser.FreeSpot(grid, visible, usual, margin: 20);

        Assert.Equal(new PdfRect(120, 300, 200, 380), spot);
        grid.Paint(new InkBox(0, 300, 200, 400));
        Assert.Null(SpotChooser.FreeSpot(grid, visible, usual, margin: 20));
    }
}
