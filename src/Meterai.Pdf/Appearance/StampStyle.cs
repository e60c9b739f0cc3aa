namespace Meterai.Pdf.Appearance;

/// <summary>
/// The stamp's look and its legibility limits in one place: colours, proportions and the smallest sizes at which
/// the serial can still be read and the QR code still scanned from a printed page.
/// </summary>
internal static class StampStyle
{
    public const string Title = "METERAI ELEKTRONIK";
    public const string Amount = "10000";
    public const string AmountInWords = "SEPULUH RIBU RUPIAH";

    /// <summary>
    /// Smallest QR module: 1 pt ≈ 0.35 mm. Phone cameras read 0.3–0.4 mm modules from office prints reliably;
    /// below that a slightly blurred print or a cheap camera fails, and a stamp that cannot be verified is worse
    /// than a refused size.
    /// </summary>
    public const double MinModule = 1.0;

    /// <summary>Smallest serial size: 5 pt bold capitals (cap height ≈ 1.3 mm), for people who type the serial in.</summary>
    public const double MinSerialSize = 5.0;

    /// <summary>Smallest size of the other lines: 4.5 pt bold capitals, still readable on paper.</summary>
    public const double MinTextSize = 4.5;

    /// <summary>
    /// Size of each line relative to the title, before width limits: the amount dominates as on a paper meterai;
    /// the words and serial are a little smaller than the title.
    /// </summary>
    public const double TitleScale = 1.0, AmountScale = 2.2, WordsScale = 0.8, SerialScale = 0.9;

    /// <summary>Error correction M (15 %): a verify URL fits in version 4 (33 modules), keeping modules large.</summary>
    public const QRCoder.QRCodeGenerator.ECCLevel QrEccLevel = QRCoder.QRCodeGenerator.ECCLevel.M;

    // Colours (DeviceRGB / DeviceGray): a dark official red on a faint warm paper tone; the QR in pure black on white.
    public static readonly byte[] BackgroundFill = "1 0.973 0.953 rg\n"u8.ToArray();
    public static readonly byte[] RedStroke = "0.478 0.063 0.125 RG\n"u8.ToArray();
    public static readonly byte[] RedFill = "0.478 0.063 0.125 rg\n"u8.ToArray();
    public static readonly byte[] SerialFill = "0.1 g\n"u8.ToArray();
    public static readonly byte[] WhiteFill = "1 g\n"u8.ToArray();
    public static readonly byte[] BlackFill = "0 g\n"u8.ToArray();

    /// <summary>Outer frame line width, from the stamp's shorter side, so small stamps keep room for content.</summary>
    public static double OuterFrameWidth(double shortSide) => Math.Clamp(shortSide * 0.015, 0.5, 2.5);

    /// <summary>Padding between the inner frame and the content, and between the QR code and the text.</summary>
    public static double Padding(double shortSide) => Math.Clamp(shortSide * 0.025, 1.5, 6);
}
