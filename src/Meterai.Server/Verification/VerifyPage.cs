using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Meterai.Server.Verification;

/// <summary>
/// The page a stamp's QR code opens: plain HTML, Bahasa Indonesia first with English below, no script, no personal
/// data (the state, when it was stamped, the nominal, the document's SHA-256 and the channel).
/// </summary>
internal static class VerifyPage
{
    private static readonly CultureInfo Indonesian = CultureInfo.InvariantCulture;

    public static string Render(SerialResponse? s, string serialText, string? problem)
    {
        var (titleId, titleEn, tone) = s switch
        {
            null when problem is not null => ("Nomor seri tidak sah", "Not a valid serial number", "bad"),
            null => ("Nomor seri tidak terdaftar", "Serial number not registered", "bad"),
            { Valid: true } => ("e-Meterai SAH", "e-Meterai VALID", "ok"),
            { State: "reserved" } => ("e-Meterai sedang diproses — belum sah", "e-Meterai being issued — not valid yet", "bad"),
            _ => ("e-Meterai TIDAK BERLAKU (tidak pernah digunakan)", "e-Meterai NOT VALID (never used)", "bad"),
        };
        var h = HtmlEncoder.Default;
        var b = new StringBuilder(2048);
        b.Append("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        b.Append("<title>Verifikasi e-Meterai ").Append(h.Encode(serialText)).Append("</title><style>");
        b.Append("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}");
        b.Append(".ok{color:#0a6b2e}.bad{color:#a31515}dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-all}.en{color:#555;font-size:.95rem}");
        b.Append("</style></head><body><main>");
        b.Append("<h1 class=\"").Append(tone).Append("\">").Append(h.Encode(titleId)).Append("</h1>");
        b.Append("<p class=\"en\" lang=\"en\">").Append(h.Encode(titleEn)).Append("</p>");
        b.Append("<dl><dt>Nomor seri <span class=\"en\" lang=\"en\">/ Serial number</span></dt><dd>").Append(h.Encode(serialText)).Append("</dd>");
        if (problem is not null) b.Append("<dt>Keterangan <span class=\"en\" lang=\"en\">/ Detail</span></dt><dd>").Append(h.Encode(problem)).Append("</dd>");
        if (s is not null)
        {
            b.Append("<dt>Nominal</dt><dd>Rp").Append(s.Nominal.ToString("N0", Indonesian).Replace(',', '.')).Append("</dd>");
            if (s.StampedAt is { } at)
            {
                b.Append("<dt>Dibubuhkan pada <span class=\"en\" lang=\"en\">/ Stamped at</span></dt><dd>")
                    .Append(h.Encode(at.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm:ss", Indonesian))).Append(" WIB (UTC+7)</dd>");
            }

            if (s.DocumentSha256 is not null)
            {
                b.Append("<dt>SHA-256 dokumen <span class=\"en\" lang=\"en\">/ Document SHA-256</span></dt><dd><code>").Append(h.Encode(s.DocumentSha256)).Append("</code></dd>");
            }

            b.Append("<dt>Saluran <span class=\"en\" lang=\"en\">/ Channel</span></dt><dd>").Append(h.Encode(s.ChannelName)).Append("</dd>");
        }

        b.Append("</dl><p class=\"en\">Cocokkan SHA-256 di atas dengan berkas Anda (mis. <code>sha256sum dokumen.pdf</code>), atau unggah berkas ke ");
        b.Append("<code>POST /api/v1/verify</code>. <span lang=\"en\">Compare the SHA-256 above with your file, or upload the file to POST /api/v1/verify.</span></p>");
        b.Append("</main></body></html>");
        return b.ToString();
    }
}
