namespace Meterai.Pdf.Appearance;

/// <summary>
/// The stamp's look and its legibility limits in one place: colours, the lines and their proportions, and the smallest
/// sizes at which the QR code still scans from a print or a 150 dpi screen capture.
/// </summary>
internal static class StampStyle
{
    public const string Title = "METERAI";
    public const string Subtitle = "ELEKTRONIK";
    public const string Amount = "10000";
    public const string AmountInWords = "SEPULUH RIBU RUPIAH";

    /// <summary>
    /// Smallest QR module: 1.3 pt ≈ 0.46 mm, 2.7 pixels at 150 dpi (zbarimg reads it there, see StampScanTests). A
    /// 54 pt (1.9 cm) stamp whose verify URL has up to 50 alphanumeric characters (a host of up to 17) has 1.46 pt
    /// modules (version 4: 33 + 2 × 2 modules); up to 64 characters (version 5), 1.32 pt.
    /// </summary>
    public const double MinModule = 1.3;

    /// <summary>
    /// Smallest serial and text size. On the specimen's square the panel's lines are micro-print, as on the official
    /// stamp (0.8 pt at 54 pt, 1.5 pt at 100 pt): read by zooming into the vector text or copied as text (pdftotext
    /// gives it exactly), and the verify page the QR code opens shows the serial in full. Wide stamps print it large
    /// (3.7 pt at 160 × 54).
    /// </summary>
    public const double MinSerialSize = 0.7, MinTextSize = 0.7;

    /// <summary>
    /// Error correction H (30 %): it pays for the panel that covers the middle of the symbol on a square stamp and
    /// still leaves room for blur at 150 dpi. (Q with the same hole failed to scan at every size.)
    /// </summary>
    public const QRCoder.QRCodeGenerator.ECCLevel QrEccLevel = QRCoder.QRCodeGenerator.ECCLevel.H;

    /// <summary>QRCoder's matrix has a 4-module quiet zone; the stamp keeps 2 of them (white), enough for zbar and phones.</summary>
    public const int QrTrim = 2;

    /// <summary>
    /// Share of the symbol's side the panel's hole takes across and up on a square stamp: 11 × 9 modules of version
    /// 4's 33 × 33 (9 % of the symbol), 13 × 9 of version 5's 37 × 37. Chosen by zbarimg at 150 dpi over 40–80 random
    /// serials per hole on 54–58 pt stamps: 15 × 11 failed 10 % (17 × 13 at version 5: 33 %), 13 × 9 about 2 %
    /// (15 × 11 at version 5: 10 %), 11 × 9 and 13 × 9 at version 5 none.
    /// </summary>
    public const double HoleAcross = 0.36, HoleUp = 0.28;

    /// <summary>
    /// The last QR version framed with a hole (verify URLs up to 64 alphanumeric characters): the hole's size was
    /// measured up to version 5; a longer URL gets the QR code above the panel, unbroken (version 7 would also put an
    /// alignment pattern in the middle).
    /// </summary>
    public const int LastFramedVersion = 5;

    /// <summary>Stamps at least this much wider than high (or higher than wide) put the panel beside (below) the QR code.</summary>
    public const double SideBySideAspect = 1.4;

    public static readonly StampColour Paper = new(1, 1, 1);
    public static readonly StampColour Ink = new(0, 0, 0);
    public static readonly StampColour PanelFill = new(0.992, 0.851, 0.776); // warm pink-orange, light enough to read as "light"
    public static readonly StampColour PanelBorder = new(0.878, 0.424, 0.314);
    public static readonly StampColour Lettering = new(0.557, 0.09, 0.137); // deep red
    public static readonly StampColour SerialInk = new(0.1, 0.1, 0.1);
    public static readonly StampColour OrnamentFill = new(0.816, 0.306, 0.227);
    public static readonly StampColour OrnamentCentre = new(0.992, 0.851, 0.776);
}
