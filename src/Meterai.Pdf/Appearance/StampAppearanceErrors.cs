namespace Meterai.Pdf.Appearance;

/// <summary>Error codes of drawing a stamp (stable, public).</summary>
public static class StampAppearanceErrors
{
    /// <summary>The rectangle cannot hold a legible serial and a scannable QR code; the message names the minimum.</summary>
    public const string RectTooSmall = "stamp_rect_too_small";

    /// <summary>Width or height is not a finite positive number of points, or exceeds PDF's 14 400 pt page limit.</summary>
    public const string RectInvalid = "stamp_rect_invalid";

    /// <summary>
    /// The verification URL is not an absolute http(s) URL of printable ASCII ending in /v/{serial}, or is too long
    /// for a QR code.
    /// </summary>
    public const string VerifyUrlInvalid = "stamp_verify_url_invalid";
}
