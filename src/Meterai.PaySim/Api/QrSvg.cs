using System.Globalization;
using System.Text;
using QRCoder;

namespace Meterai.PaySim.Api;

/// <summary>
/// Draws a QR code as inline SVG: QRCoder only computes the module matrix (encoding and error correction); each dark
/// module becomes one unit square of a single path, so the page needs no image file and scales crisply.
/// </summary>
internal static class QrSvg
{
    public static string Draw(string payload, int pixels = 264)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (matrix[y][x]) path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{pixels}" height="{pixels}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img" aria-label="QRIS"><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>""");
    }
}
