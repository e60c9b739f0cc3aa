namespace Meterai.Pdf.Filters;

/// <summary>PNG predictors (§7.4.4.4, /Predictor ≥ 10) as used by cross-reference and object streams.</summary>
internal static class PngPredictor
{
    public static byte[] Undo(byte[] data, int colors, int bitsPerComponent, int columns)
    {
        if (colors is < 1 or > 32 || bitsPerComponent is not (1 or 2 or 4 or 8 or 16) || columns is < 1 or > 1 << 20)
        {
            throw PdfFormatException.Malformed("invalid predictor parameters");
        }

        var bytesPerPixel = Math.Max(1, (colors * bitsPerComponent + 7) / 8);
        var rowLength = (colors * bitsPerComponent * columns + 7) / 8;
        var rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var previous = new byte[rowLength];
        for (var r = 0; r < rows; r++)
        {
            var src = data.AsSpan(r * (rowLength + 1) + 1, rowLength);
            var filter = data[r * (rowLength + 1)];
            var row = output.AsSpan(r * rowLength, rowLength);
            for (var i = 0; i < rowLength; i++)
            {
                int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                int up = previous[i];
                int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                row[i] = filter switch
                {
                    0 => src[i],
                    1 => (byte)(src[i] + left),
                    2 => (byte)(src[i] + up),
                    3 => (byte)(src[i] + ((left + up) >> 1)),
                    4 => (byte)(src[i] + Paeth(left, up, upLeft)),
                    _ => throw PdfFormatException.Malformed($"unknown PNG predictor filter type {filter}"),
                };
            }

            row.CopyTo(previous);
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
