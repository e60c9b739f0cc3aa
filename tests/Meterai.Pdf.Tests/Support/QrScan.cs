using System.Globalization;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>Reads a stamp's QR code the way a phone would see the page: pdftoppm renders it, zbarimg decodes it.</summary>
internal static class QrScan
{
    /// <summary>
    /// What zbarimg reads in the pixel box (with a margin) of page <paramref name="page"/> rendered at
    /// <paramref name="dpi"/> (crop box, as displayed); fails the test with zbarimg's answer when it reads nothing.
    /// </summary>
    public static string Stamp(string pdf, int page, int dpi, string? password, (int X0, int Y0, int X1, int Y1) box)
    {
        ExternalTool.Require("pdftoppm");
        ExternalTool.Require("zbarimg");
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var margin = dpi / 6; // 12 pt of page around the stamp
        int x = Math.Max(0, box.X0 - margin), y = Math.Max(0, box.Y0 - margin);
        var prefix = Path.Combine(Path.GetTempPath(), $"meterai-qr-{Guid.NewGuid():N}");
        var args = new List<string>
        {
            "-png", "-cropbox", "-r", I(dpi), "-f", I(page), "-l", I(page), "-singlefile",
            "-x", I(x), "-y", I(y), "-W", I(box.X1 - box.X0 + 2 * margin), "-H", I(box.Y1 - box.Y0 + 2 * margin),
        };
        if (password is not null) args.AddRange(["-upw", password]);
        args.AddRange([pdf, prefix]);
        var r = ExternalTool.Run("pdftoppm", args, TimeSpan.FromSeconds(120));
        var png = prefix + ".png";
        if (!File.Exists(png) && password is not null)
        {
            args[args.IndexOf("-upw")] = "-opw";
            r = ExternalTool.Run("pdftoppm", args, TimeSpan.FromSeconds(120));
        }

        Assert.True(File.Exists(png), $"pdftoppm produced nothing for {pdf} page {page}: {r.All}");
        try
        {
            var scan = ExternalTool.Run("zbarimg", ["--raw", "-q", png]);
            Assert.True(scan.ExitCode == 0, $"zbarimg read no QR code in {Path.GetFileName(pdf)} page {page} at {dpi} dpi (exit {scan.ExitCode}): {scan.All}");
            return scan.StdOut.TrimEnd('\n');
        }
        finally
        {
            File.Delete(png);
        }
    }
}
