using Meterai.Core.Common;
using QRCoder;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// The stamp's QR code: QRCoder's module matrix, drawn as vector rectangles. Each horizontal run of dark modules is
/// one <c>re</c> and the whole set is filled once, on a white square that includes the quiet zone.
/// </summary>
internal static class StampQrCode
{
    /// <summary>The verification URL's upper bound; a verify URL is ~60 characters, 512 leaves room for any base URL.</summary>
    public const int MaxUrlLength = 512;

    /// <summary>
    /// Encodes the URL (byte mode; printable ASCII only, so no ECI question arises). The matrix QRCoder returns
    /// already has the four-module quiet zone the QR standard requires on every side.
    /// </summary>
    public static Result<QRCodeData> Encode(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength)
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL must have 1 to {MaxUrlLength} characters");
        }

        foreach (var c in url)
        {
            if (c is < '!' or > '~') return new Error(StampAppearanceErrors.VerifyUrlInvalid, "the verification URL must be printable ASCII without spaces");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, "the verification URL must be an absolute http(s) URL");
        }

        try
        {
            return QRCodeGenerator.GenerateQrCode(url, StampStyle.QrEccLevel);
        }
        catch (QRCoder.Exceptions.DataTooLongException e)
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL does not fit in a QR code: {e.Message}");
        }
    }

    /// <summary>Draws the QR code into the square <paramref name="box"/>: white background, then black runs.</summary>
    /// <remarks>
    /// The runs are written in module units under one <c>cm</c> that scales a module to its size in points: small
    /// integers are cheap to write and to read, every edge is exact (neighbouring runs and rows meet without the
    /// hairline gaps or overlaps that rounding each edge in points would leave), and since all runs are subpaths of
    /// one path filled once, anti-aliasing draws no seams between them.
    /// </remarks>
    public static void Draw(ref ContentStreamWriter w, QRCodeData qr, StampBox box)
    {
        var matrix = qr.ModuleMatrix;
        var n = matrix.Count;

        w.Raw(StampStyle.WhiteFill);
        w.Number(box.X);
        w.Number(box.Y);
        w.Number(box.Width);
        w.Number(box.Height);
        w.Raw("re\nf\n"u8);

        w.Raw(StampStyle.BlackFill);
        w.Raw("q\n"u8);
        // The module size is rounded down to what the stream can say (1/1000 pt) and the symbol centred in its
        // square, so that the n modules written end inside the white square, never past it.
        var module = Math.Floor(box.Width / n * 1000) / 1000;
        var inset = (box.Width - module * n) / 2;
        w.Number(module);
        w.Raw("0 0 "u8);
        w.Number(module);
        w.Number(box.X + inset);
        w.Number(box.Y + inset);
        w.Raw("cm\n"u8);
        for (var row = 0; row < n; row++)
        {
            var bits = matrix[row];
            var y = n - 1 - row; // matrix rows run top-down, PDF's y axis bottom-up
            var col = 0;
            while (col < n)
            {
                if (!bits[col])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < n && bits[col]) col++;
                w.Integer(start);
                w.Integer(y);
                w.Integer(col - start);
                w.Raw("1 re\n"u8);
            }
        }

        w.Raw("f\nQ\n"u8);
    }
}
