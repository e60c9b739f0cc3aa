using System.Globalization;
using System.Text;

namespace Meterai.Server.Verification;

/// <summary>
/// The page a stamp's QR code opens: what the registry holds for the serial (state, when it was stamped, the
/// nominal, the SHA-256 of the document as stamped, the channel; no personal data) and a form to check a file. It
/// has seen no file, so it never calls one valid: whether a file is genuine and unaltered is answered only for a file
/// uploaded to it (<see cref="FileCheckPage"/>).
/// </summary>
internal static class VerifyPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(SerialResponse? s, string serialText, string? problem)
    {
        var (titleId, titleEn, tone) = s switch
        {
            null when problem is not null => ("Nomor seri keliru", "Not a well-formed serial number", "bad"),
            null => ("Nomor seri tidak terdaftar", "Serial number not registered", "bad"),
            { Valid: true } => ("Nomor seri terdaftar: e-Meterai ini telah dibubuhkan pada sebuah dokumen", "Serial number registered: this e-Meterai was applied to a document", "info"),
            { State: "reserved" } => ("Nomor seri terdaftar: e-Meterai sedang diproses", "Serial number registered: the e-Meterai is being issued", "bad"),
            _ => ("Nomor seri terdaftar, tetapi tidak pernah digunakan", "Serial number registered but never used", "bad"),
        };
        var b = VerificationHtml.Begin("Verifikasi e-Meterai " + serialText, titleId, titleEn, tone);
        b.Append("<dl>").Item("Nomor seri", "Serial number", serialText);
        if (problem is not null) b.Item("Keterangan", "Detail", problem);
        if (s is not null) Registry(b, s);
        b.Append("</dl>");
        if (s is not null)
        {
            b.Say("Halaman ini hanya menunjukkan catatan registri untuk nomor seri ini; ia tidak dapat mengetahui apakah berkas Anda asli atau telah diubah. "
                  + "Unggah berkasnya di bawah ini untuk memeriksanya.",
                "This page shows only what the registry records for this serial number; it cannot tell whether your file is genuine or was altered. "
                + "Upload the file below to check it.");
            b.UploadForm(serialText);
        }

        return b.End();
    }

    /// <summary>The registry's facts for a serial, as list items.</summary>
    public static void Registry(StringBuilder b, SerialResponse s)
    {
        b.Item("Status di registri", "Registry state", s.State switch
        {
            "stamped" => "dibubuhkan / stamped",
            "reserved" => "sedang diproses / being issued",
            _ => s.State,
        });
        b.Item("Nominal", "Face value", "Rp" + s.Nominal.ToString("N0", Invariant).Replace(',', '.'));
        if (s.StampedAt is { } at) b.Item("Dibubuhkan pada", "Stamped at", at.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " WIB (UTC+7)");
        if (s.DocumentSha256 is not null) b.Item("SHA-256 dokumen saat dibubuhkan", "SHA-256 of the document as stamped", s.DocumentSha256, code: true);
        b.Item("Saluran", "Channel", s.ChannelName);
    }
}
