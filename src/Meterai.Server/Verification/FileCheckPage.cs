using System.Text;

namespace Meterai.Server.Verification;

/// <summary>
/// The answer, as a page, to a file uploaded from a serial's verification page: whether the file carries that
/// e-Meterai, signed by the issuer, registered to the revision it signed, and not changed after it. Only here, for a
/// file it has verified, does the service say an e-Meterai is valid.
/// </summary>
internal static class FileCheckPage
{
    public static string Render(string serial, SerialResponse? registered, VerifyResponse file)
    {
        var stamp = file.Signatures.LastOrDefault(v => v.IsEMeterai && v.Serial == serial);
        var (id, en, tone) = Verdict(stamp, file);
        var b = VerificationHtml.Begin("Pemeriksaan berkas e-Meterai " + serial, id, en, tone);
        b.Append("<dl>").Item("Nomor seri", "Serial number", serial);
        if (stamp is not null)
        {
            b.Item("Tanda tangan utuh", "Signature intact", YesNo(stamp.Valid));
            b.Item("Ditandatangani penerbit", "Signed by the issuer", YesNo(stamp.IssuerSigned));
            b.Item("Cocok dengan registri", "Matches the registry", YesNo(stamp.Registry?.Matches == true));
            b.Item("Perubahan sesudah e-Meterai", "Changes after the e-Meterai", stamp.ChangesAfter switch
            {
                "none" => "tidak ada / none",
                "harmless" => "hanya tambahan yang diizinkan (tanda tangan lain, data validasi, metadata) / only allowed additions (later signatures, validation data, metadata)",
                _ => "DIUBAH / CHANGED",
            });
            b.Item("SHA-256 revisi yang ditandatangani", "SHA-256 of the signed revision", stamp.RevisionSha256, code: true);
        }
        else
        {
            b.Item("e-Meterai dalam berkas", "e-Meterai in the file", file.EMeteraiCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (registered is not null) VerifyPage.Registry(b, registered);
        b.Append("</dl>");
        if (stamp is { ChangeNotes.Count: > 0 })
        {
            b.Append("<p>Catatan <span class=\"en\" lang=\"en\">/ Notes</span></p><ul>");
            foreach (var note in stamp.ChangeNotes) b.Append("<li lang=\"en\">").Append(VerificationHtml.Encoder.Encode(note)).Append("</li>");
            b.Append("</ul>");
        }

        b.UploadForm(serial);
        return b.End();
    }

    public static string Refused(string serial, string message, string? code)
    {
        var b = VerificationHtml.Begin("Pemeriksaan berkas e-Meterai " + serial, "Berkas tidak dapat diperiksa", "The file could not be checked", "bad");
        b.Append("<dl>").Item("Nomor seri", "Serial number", serial).Item("Keterangan", "Detail", message);
        if (code is not null) b.Item("Kode", "Code", code, code: true);
        b.Append("</dl>");
        b.UploadForm(serial);
        return b.End();
    }

    private static (string Id, string En, string Tone) Verdict(SignatureVerdict? stamp, VerifyResponse file) => stamp switch
    {
        null when file.EMeteraiCount == 0 => ("Berkas ini tidak memuat e-Meterai", "This file carries no e-Meterai", "bad"),
        null => ("Berkas ini tidak memuat e-Meterai dengan nomor seri ini", "This file carries no e-Meterai with this serial number", "bad"),
        { Valid: false } => ("Tanda tangan e-Meterai pada berkas ini rusak atau palsu", "The e-Meterai signature in this file is broken or forged", "bad"),
        { IssuerSigned: false } => ("e-Meterai pada berkas ini tidak ditandatangani oleh penerbit", "The e-Meterai in this file is not signed by the issuer", "bad"),
        { Registry: not { Matches: true } } => ("Berkas ini tidak cocok dengan catatan registri untuk nomor seri ini", "This file does not match the registry's record for this serial number", "bad"),
        { ChangesAfter: "changed" } => ("Berkas ini DIUBAH setelah e-Meterai dibubuhkan", "This file was ALTERED after the e-Meterai was applied", "bad"),
        _ => ("e-Meterai pada berkas ini SAH dan berkas tidak diubah sesudahnya", "The e-Meterai in this file is VALID and the file was not altered after it", "ok"),
    };

    private static string YesNo(bool value) => value ? "ya / yes" : "TIDAK / NO";
}
