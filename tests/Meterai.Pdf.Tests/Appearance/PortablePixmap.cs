namespace Meterai.Pdf.Tests.Appearance;

/// <summary>Test-only reader of the binary PPM (P6, 8-bit) that pdftoppm writes by default.</summary>
internal sealed class PortablePixmap
{
    private readonly byte[] _pixels;

    private PortablePixmap(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var at = 3 * (y * Width + x);
            return (_pixels[at], _pixels[at + 1], _pixels[at + 2]);
        }
    }

    public static PortablePixmap Read(byte[] file)
    {
        var at = 0;
        string Next()
        {
            while (char.IsWhiteSpace((char)file[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)file[at])) at++;
            return System.Text.Encoding.ASCII.GetString(file, start, at - start);
        }

        if (Next() != "P6") throw new InvalidDataException("not a binary PPM");
        var width = int.Parse(Next());
        var height = int.Parse(Next());
        if (Next() != "255") throw new InvalidDataException("not 8-bit");
        at++; // the single whitespace byte before the raster
        return new PortablePixmap(width, height, file[at..(at + 3 * width * height)]);
    }
}
