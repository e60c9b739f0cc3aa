namespace Meterai.Pdf.Raster;

/// <summary>The picture formats a stamp can be rendered to.</summary>
public enum StampImageFormat
{
    Png,
    Jpeg,
}
