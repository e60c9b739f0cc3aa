namespace Meterai.Pdf.Appearance;

/// <summary>An RGB colour of the stamp, each channel 0 … 1 (what DeviceRGB takes; a raster backend scales to bytes).</summary>
public readonly record struct StampColour(double R, double G, double B)
{
    public byte R8 => (byte)Math.Round(R * 255);

    public byte G8 => (byte)Math.Round(G * 255);

    public byte B8 => (byte)Math.Round(B * 255);
}
