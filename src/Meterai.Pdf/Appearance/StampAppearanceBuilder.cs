using System.Globalization;
using Meterai.Core.Common;
using Meterai.Core.Serials;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Draws one e-Meterai as a Form XObject content stream: frame, "METERAI ELEKTRONIK", "10000",
/// "SEPULUH RIBU RUPIAH", the serial, and a QR code of the verification URL — all vectors, text in the embedded
/// <see cref="StampFont"/>. Runs once per stamp, so it writes straight into a pooled buffer; the same inputs always
/// give the same bytes.
/// </summary>
public static class StampAppearanceBuilder
{
    /// <summary>PDF's largest page side (ISO 32000 Annex C, at the default user unit), and so the largest stamp.</summary>
    public const double MaxSide = 14400;

    private const int InitialCapacity = 8 * 1024; // a version-4 QR code and the text take about 4 KB

    /// <param name="serial">The stamp's serial number, drawn in full.</param>
    /// <param name="verifyUrl">What the QR code encodes: <c>{public base URL}/v/{serial}</c>.</param>
    /// <param name="width">Width of the stamp as the reader sees it upright, in points.</param>
    /// <param name="height">Height likewise; the engine maps the result onto the page and adds any rotation.</param>
    public static Result<StampAppearance> Build(SerialNumber serial, string verifyUrl, double width, double height)
    {
        // The content is written to 1/1000 pt; so is the size the writer puts in /BBox.
        width = Math.Round(width, 3, MidpointRounding.AwayFromZero);
        height = Math.Round(height, 3, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(width) || !double.IsFinite(height) || width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
        {
            return new Error(StampAppearanceErrors.RectInvalid, $"the stamp's width and height must be at least 0.001 and at most {MaxSide} pt");
        }

        // The QR code is the stamp's proof of where to verify it: one that names another serial is a bug upstream.
        var serialText = serial.Value;
        if (verifyUrl is null || !verifyUrl.EndsWith(serialText, StringComparison.Ordinal)
            || !verifyUrl.AsSpan(0, verifyUrl.Length - serialText.Length).EndsWith("/v/", StringComparison.Ordinal))
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL must end with /v/{serialText}");
        }

        var encoded = StampQrCode.Encode(verifyUrl);
        if (!encoded.IsOk) return encoded.Error;
        using var qr = encoded.Value;
        var modules = qr.ModuleMatrix.Count;

        var metrics = StampTextMetrics.Default;
        var layout = StampLayoutCache.Get(width, height, modules, metrics);
        if (!layout.IsLegible) return TooSmall(width, height, modules, metrics);

        var w = new ContentStreamWriter(InitialCapacity);
        try
        {
            StampDrawing.Write(ref w, layout, qr, serialText, metrics);
            return new StampAppearance(w.Written.ToArray(), width, height, metrics.Font);
        }
        finally
        {
            w.Dispose();
        }
    }

    private static Error TooSmall(double width, double height, int modules, StampTextMetrics metrics)
    {
        var minimum = StampLayout.MinimumSize(width, height, modules, metrics, MaxSide);
        var limits = string.Create(CultureInfo.InvariantCulture,
            $"QR modules of at least {StampStyle.MinModule} pt, serial text of at least {StampStyle.MinSerialSize} pt");
        var size = string.Create(CultureInfo.InvariantCulture, $"{width} × {height} pt");
        return new Error(StampAppearanceErrors.RectTooSmall, minimum is { } m
            ? string.Create(CultureInfo.InvariantCulture, $"a stamp of {size} is too small to be legible and scannable ({limits}): at this aspect ratio it needs at least {m.Width} × {m.Height} pt")
            : string.Create(CultureInfo.InvariantCulture, $"a stamp of {size} is too small to be legible and scannable ({limits}), and no size of this aspect ratio up to {MaxSide} pt is large enough"));
    }
}
