namespace Meterai.Pdf.Stamping;

/// <summary>
/// The stamp's size and page margin when the caller gives no rectangle, stated once: the CLI, the API and the automatic
/// placement all take it from here.
/// </summary>
public static class DefaultStampSize
{
    public const double Width = 62;
    public const double Height = 62;
    public const double Margin = 24;
}
