using Meterai.Pdf.Structure;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>
/// A page rendered by pdftoppm as 8-bit gray, and the mapping from the page's user space to its pixels, worked out
/// here from the crop box, /Rotate and the resolution (pdftoppm -cropbox renders what a viewer shows: the crop
/// box, turned by /Rotate).
/// </summary>
internal sealed class PageRaster
{
    private PageRaster(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    public static PageRaster Render(string pdf, int page, int dpi, string? password = null, bool hideAnnotations = false)
    {
        ExternalTool.Require("pdftoppm");
        var prefix = Path.Combine(Path.GetTempPath(), $"meterai-raster-{Guid.NewGuid():N}");
        var args = new List<string> { "-gray", "-cropbox", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-singlefile" };
        if (password is not null) args.AddRange(["-upw", password]);
        if (hideAnnotations) args.Add("-hide-annotations");
        args.AddRange([pdf, prefix]);
        var r = ExternalTool.Run("pdftoppm", args, TimeSpan.FromSeconds(120));
        var file = prefix + ".pgm";
        if (!File.Exists(file) && password is not null)
        {
            args[args.IndexOf("-upw")] = "-opw"; // the owner password
            r = ExternalTool.Run("pdftoppm", args, TimeSpan.FromSeconds(120));
        }

        Assert.True(File.Exists(file), $"pdftoppm produced nothing for {pdf} page {page}: {r.All}");
        try
        {
            return ReadPgm(File.ReadAllBytes(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static PageRaster ReadPgm(byte[] data)
    {
        // P5 <w> <h> <max>\n<bytes>
        var at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)data[at])) at++;
            return System.Text.Encoding.ASCII.GetString(data, start, at - start);
        }

        Assert.Equal("P5", Token());
        var w = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var h = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Token();
        at++;
        return new PageRaster(w, h, data.AsSpan(at, w * h).ToArray());
    }

    /// <summary>Pixel box (x0, y0, x1, y1 exclusive) of a user-space rectangle on a page rendered at <paramref name="dpi"/>.</summary>
    public static (int X0, int Y0, int X1, int Y1) ToPixels(PdfRect rect, PdfRect visible, int rotate, int dpi)
    {
        var s = dpi / 72.0;
        var w = visible.Width * s;
        var h = visible.Height * s;
        (double X, double Y) Map(double x, double y)
        {
            var ux = (x - visible.X1) * s;
            var uy = (visible.Y2 - y) * s; // unrotated image: y grows downwards
            return rotate switch
            {
                90 => (h - uy, ux),
                180 => (w - ux, h - uy),
                270 => (uy, w - ux),
                _ => (ux, uy),
            };
        }

        var corners = new[] { Map(rect.X1, rect.Y1), Map(rect.X2, rect.Y1), Map(rect.X1, rect.Y2), Map(rect.X2, rect.Y2) };
        return ((int)Math.Floor(corners.Min(c => c.X)), (int)Math.Floor(corners.Min(c => c.Y)), (int)Math.Ceiling(corners.Max(c => c.X)), (int)Math.Ceiling(corners.Max(c => c.Y)));
    }

    /// <summary>
    /// Compares a page before and after stamping: inside the rectangle (shrunk by a margin for anti-aliasing) the
    /// pixels must differ markedly; outside it (grown by the margin) they must be essentially identical.
    /// </summary>
    public static void AssertStampedInside(PageRaster before, PageRaster after, (int X0, int Y0, int X1, int Y1) box, string what)
    {
        Assert.True(before.Width == after.Width && before.Height == after.Height, $"{what}: the page renders at another size after stamping");
        const int margin = 3;
        const int threshold = 40;
        long inside = 0, insideChanged = 0, outside = 0, outsideChanged = 0;
        for (var y = 0; y < before.Height; y++)
        {
            for (var x = 0; x < before.Width; x++)
            {
                var changed = Math.Abs(before[x, y] - after[x, y]) > threshold;
                if (x >= box.X0 + margin && x < box.X1 - margin && y >= box.Y0 + margin && y < box.Y1 - margin)
                {
                    inside++;
                    if (changed) insideChanged++;
                }
                else if (x < box.X0 - margin || x >= box.X1 + margin || y < box.Y0 - margin || y >= box.Y1 + margin)
                {
                    outside++;
                    if (changed) outsideChanged++;
                }
            }
        }

        Assert.True(inside > 100, $"{what}: the rectangle {box} covers almost no pixels of the {before.Width}x{before.Height} page");
        var insideShare = (double)insideChanged / inside;
        var outsideShare = outside == 0 ? 0 : (double)outsideChanged / outside;
        Assert.True(insideShare > 0.05, $"{what}: only {insideShare:P2} of the pixels inside {box} changed: the stamp is not there");
        Assert.True(outsideChanged <= 20 && outsideShare < 0.0005, $"{what}: {outsideChanged} pixels ({outsideShare:P3}) changed outside {box}: the stamp is not where it was asked");
    }
}
