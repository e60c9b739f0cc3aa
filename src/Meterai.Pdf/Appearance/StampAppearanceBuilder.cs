using Meterai.Core.Common;
using Meterai.Core.Serials;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Draws one e-Meterai as a Form XObject content stream (<see cref="StampPicture"/> painted by the PDF backend): the
/// QR code of the verification URL as the frame, the panel with the emblem, "METERAI", "ELEKTRONIK", "10000",
/// "SEPULUH RIBU RUPIAH" and the serial — all vectors, text in the embedded <see cref="StampFont"/>. Runs once per
/// stamp, so it writes straight into a pooled buffer; the same inputs always give the same bytes.
/// </summary>
public static class StampAppearanceBuilder
{
    /// <summary>PDF's largest page side (ISO 32000 Annex C, at the default user unit), and so the largest stamp.</summary>
    public const double MaxSide = StampPicture.MaxSide;

    private const int InitialCapacity = 8 * 1024; // a version-4 QR code, the panel and the text take about 4 KB

    /// <inheritdoc cref="StampPicture.Create"/>
    public static Result<StampAppearance> Build(SerialNumber serial, string verifyUrl, double width, double height, StampEmblem? emblem = null)
    {
        var picture = StampPicture.Create(serial, verifyUrl, width, height, emblem);
        if (!picture.IsOk) return picture.Error;
        var layout = picture.Value.Layout;

        var w = new ContentStreamWriter(InitialCapacity);
        try
        {
            StampPdfPainter.Write(ref w, picture.Value);
            return new StampAppearance(w.Written.ToArray(), layout.Width, layout.Height, layout.Metrics.Font);
        }
        finally
        {
            w.Dispose();
        }
    }
}
