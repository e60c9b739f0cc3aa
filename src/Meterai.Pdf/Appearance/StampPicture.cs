using System.Collections;
using Meterai.Core.Common;
using Meterai.Core.Serials;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// One stamp to paint: its <see cref="StampLayout"/> (shared by every stamp of the size) plus what is its own — the
/// serial and the QR modules. Every backend (PDF content stream, raster image) paints from this, so a preview shows
/// exactly what the PDF carries.
/// </summary>
public sealed class StampPicture
{
    private readonly List<BitArray> _matrix;

    private StampPicture(StampLayout layout, List<BitArray> matrix, string serial, string verifyUrl)
    {
        Layout = layout;
        _matrix = matrix;
        Serial = serial;
        VerifyUrl = verifyUrl;
    }

    /// <summary>PDF's largest page side (ISO 32000 Annex C, at the default user unit), and so the largest stamp.</summary>
    public const double MaxSide = 14400;

    public StampLayout Layout { get; }

    public string Serial { get; }

    public string VerifyUrl { get; }

    /// <summary>Whether the drawn module at (column, row) — row 0 at the top — is dark; modules under the panel are not drawn.</summary>
    public bool IsDark(int column, int row) =>
        !Layout.Hole.Contains(column, row) && _matrix[row + Layout.QrTrim][column + Layout.QrTrim];

    /// <summary>The drawn modules as horizontal runs, row by row (what the backends fill).</summary>
    public QrRuns DarkRuns() => new(this);

    /// <param name="serial">The stamp's serial number, drawn in full.</param>
    /// <param name="verifyUrl">What the QR code encodes: <c>{PUBLIC BASE URL}/V/{serial}</c> (/v/ also accepted).</param>
    /// <param name="width">Width of the stamp as the reader sees it upright, in points (rounded to 1/1000 pt).</param>
    /// <param name="height">Height likewise.</param>
    /// <param name="emblem">The emblem on the panel; null for the default ornament.</param>
    public static Result<StampPicture> Create(SerialNumber serial, string verifyUrl, double width, double height, StampEmblem? emblem = null)
    {
        width = Math.Round(width, 3, MidpointRounding.AwayFromZero);
        height = Math.Round(height, 3, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(width) || !double.IsFinite(height) || width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
        {
            return new Error(StampAppearanceErrors.RectInvalid, $"the stamp's width and height must be at least 0.001 and at most {MaxSide} pt");
        }

        // The QR code is the stamp's proof of where to verify it: one that names another serial is a bug upstream.
        var serialText = serial.Value;
        if (verifyUrl is null || !verifyUrl.EndsWith(serialText, StringComparison.Ordinal)
            || !verifyUrl.AsSpan(0, verifyUrl.Length - serialText.Length).EndsWith("/v/", StringComparison.OrdinalIgnoreCase))
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL must end with /V/{serialText}");
        }

        var encoded = StampQrCode.Encode(verifyUrl);
        if (!encoded.IsOk) return encoded.Error;
        var matrix = encoded.Value;

        emblem ??= StampEmblem.Ornament;
        var metrics = StampTextMetrics.Default;
        var layout = StampLayoutCache.Get(width, height, matrix.Count, metrics, emblem);
        if (!layout.IsLegible) return TooSmall(width, height, matrix.Count, metrics, emblem);
        return new StampPicture(layout, matrix, serialText, verifyUrl);
    }

    private static Error TooSmall(double width, double height, int modules, StampTextMetrics metrics, StampEmblem emblem)
    {
        var minimum = StampLayoutPlanner.MinimumSize(width, height, modules, metrics, emblem, MaxSide);
        var limits = FormattableString.Invariant($"QR modules of at least {StampStyle.MinModule} pt, text of at least {StampStyle.MinSerialSize} pt");
        var size = FormattableString.Invariant($"{width} × {height} pt");
        return new Error(StampAppearanceErrors.RectTooSmall, minimum is { } m
            ? FormattableString.Invariant($"a stamp of {size} is too small to be legible and scannable ({limits}): at this aspect ratio it needs at least {m.Width} × {m.Height} pt")
            : FormattableString.Invariant($"a stamp of {size} is too small to be legible and scannable ({limits}), and no size of this aspect ratio up to {MaxSide} pt is large enough"));
    }
}
