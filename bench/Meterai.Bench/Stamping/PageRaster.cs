using System.Diagnostics;
using Meterai.Pdf.Structure;

namespace Meterai.Bench.Stamping;

/// <summary>
/// A page rendered by poppler's <c>pdftoppm</c> (not our code) as 8-bit gray, and the pixels under a rectangle given
/// in the page's default user space: what "the stamp covers ink" means, measured by a renderer we did not write.
/// </summary>
public sealed class PageRaster
{
    /// <summary>Darker than this is ink (255 is white paper).</summary>
    public const int WhiteThreshold = 250;

    private readonly byte[] _pixels;

    private PageRaster(int width, int height, byte[] pixels, double dpi, PageGeometry page)
    {
        Width = width;
        Height = height;
        _pixels = pixels;
        Dpi = dpi;
        Page = page;
    }

    public int Width { get; }

    public int Height { get; }

    public double Dpi { get; }

    public PageGeometry Page { get; }

    public byte this[int x, int y] => _pixels[y * Width + x];

    /// <summary>Renders page <paramref name="page"/> of the file at <paramref name="path"/> (its crop box, turned by /Rotate, as viewers show it).</summary>
    public static PageRaster Render(string path, PageGeometry page, double dpi = 100, string? password = null)
    {
        var stem = Path.Combine(Path.GetTempPath(), "meterai-raster-" + Guid.NewGuid().ToString("N"));
        var n = page.PageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> args = ["-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-gray", "-cropbox", "-f", n, "-l", n, "-singlefile"];
        if (password is not null) args.AddRange(["-upw", password]);
        args.AddRange([path, stem]);
        var psi = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start pdftoppm"))
        {
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"pdftoppm failed on {path}: {err.Result}");
        }

        var file = stem + ".pgm";
        try
        {
            var (w, h, pixels) = ReadPgm(File.ReadAllBytes(file));
            return new PageRaster(w, h, pixels, dpi, page);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The pixels a rectangle in default user space covers: mapped through the crop box and /Rotate as pdftoppm lays the page out.</summary>
    public (int X1, int Y1, int X2, int Y2) Pixels(PdfRect rect)
    {
        var c = Page.CropBox.Intersect(Page.MediaBox);
        var s = Dpi / 72;
        // Display coordinates from the top-left corner, in points, for each user-space corner.
        (double U, double V) Map(double x, double y) => Page.Rotate switch
        {
            90 => (y - c.Y1, x - c.X1),
            180 => (c.X2 - x, y - c.Y1),
            270 => (c.Y2 - y, c.X2 - x),
            _ => (x - c.X1, c.Y2 - y),
        };
        var (u1, v1) = Map(rect.X1, rect.Y1);
        var (u2, v2) = Map(rect.X2, rect.Y2);
        return (
            Math.Clamp((int)Math.Floor(Math.Min(u1, u2) * s), 0, Width), Math.Clamp((int)Math.Floor(Math.Min(v1, v2) * s), 0, Height),
            Math.Clamp((int)Math.Ceiling(Math.Max(u1, u2) * s), 0, Width), Math.Clamp((int)Math.Ceiling(Math.Max(v1, v2) * s), 0, Height));
    }

    /// <summary>Non-white pixels under the rectangle.</summary>
    public int InkUnder(PdfRect rect)
    {
        var (x1, y1, x2, y2) = Pixels(rect);
        var n = 0;
        for (var y = y1; y < y2; y++)
        {
            for (var x = x1; x < x2; x++)
            {
                if (this[x, y] < WhiteThreshold) n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Whether the image has any spot of <paramref name="widthPt"/> × <paramref name="heightPt"/> (as displayed) with no
    /// ink, at least <paramref name="marginPt"/> from the edges: whether a free place exists at all, by pixels alone.
    /// </summary>
    public bool HasFreeSpot(double widthPt, double heightPt, double marginPt)
    {
        var s = Dpi / 72;
        int w = (int)Math.Ceiling(widthPt * s), h = (int)Math.Ceiling(heightPt * s), m = (int)Math.Ceiling(marginPt * s);
        var stride = Width + 1;
        var sums = new int[stride * (Height + 1)];
        for (var y = 0; y < Height; y++)
        {
            var row = 0;
            for (var x = 0; x < Width; x++)
            {
                if (this[x, y] < WhiteThreshold) row++;
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
            }
        }

        for (var y = m; y + h <= Height - m; y++)
        {
            for (var x = m; x + w <= Width - m; x++)
            {
                if (sums[(y + h) * stride + x + w] - sums[y * stride + x + w] - sums[(y + h) * stride + x] + sums[y * stride + x] == 0) return true;
            }
        }

        return false;
    }

    /// <summary>Pixels that differ from <paramref name="other"/> (same size) outside the rectangle grown by <paramref name="slack"/> pixels.</summary>
    public int ChangedOutside(PageRaster other, PdfRect rect, int slack = 2)
    {
        if (other.Width != Width || other.Height != Height) return Width * Height;
        var (x1, y1, x2, y2) = Pixels(rect);
        var n = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (x >= x1 - slack && x < x2 + slack && y >= y1 - slack && y < y2 + slack) continue;
                if (Math.Abs(this[x, y] - other[x, y]) > 8) n++;
            }
        }

        return n;
    }

    private static (int, int, byte[]) ReadPgm(byte[] data)
    {
        var at = 0;
        string Token()
        {
            while (at < data.Length && (char.IsWhiteSpace((char)data[at]) || data[at] == '#'))
            {
                if (data[at] == '#') while (at < data.Length && data[at] != '\n') at++;
                else at++;
            }

            var start = at;
            while (at < data.Length && !char.IsWhiteSpace((char)data[at])) at++;
            return System.Text.Encoding.ASCII.GetString(data, start, at - start);
        }

        if (Token() != "P5") throw new InvalidDataException("pdftoppm did not write a binary PGM");
        var w = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var h = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        if (Token() != "255") throw new InvalidDataException("a PGM deeper than 8 bits");
        at++; // the one white-space byte before the pixels
        return (w, h, data.AsSpan(at, w * h).ToArray());
    }
}
