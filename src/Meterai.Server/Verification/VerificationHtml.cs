using System.Text;
using System.Text.Encodings.Web;

namespace Meterai.Server.Verification;

/// <summary>The frame the public verification pages share: plain HTML, Bahasa Indonesia first with English below, no script.</summary>
internal static class VerificationHtml
{
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static StringBuilder Begin(string title, string headingId, string headingEn, string tone)
    {
        var b = new StringBuilder(4096);
        b.Append("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        b.Append("<title>").Append(Encoder.Encode(title)).Append("</title><style>");
        b.Append("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}");
        b.Append(".ok{color:#0a6b2e}.bad{color:#a31515}.info{color:#1f3b73}dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-all}");
        b.Append(".en{color:#555;font-size:.95rem}form{margin-top:1.5rem;padding:1rem;border:1px solid #ccc;border-radius:.4rem}button{margin-top:.6rem}");
        b.Append("</style></head><body><main>");
        b.Append("<h1 class=\"").Append(tone).Append("\">").Append(Encoder.Encode(headingId)).Append("</h1>");
        b.Append("<p class=\"en\" lang=\"en\">").Append(Encoder.Encode(headingEn)).Append("</p>");
        return b;
    }

    /// <summary>A term and its value, each label in both languages.</summary>
    public static StringBuilder Item(this StringBuilder b, string labelId, string labelEn, string value, bool code = false)
    {
        b.Append("<dt>").Append(Encoder.Encode(labelId)).Append(" <span class=\"en\" lang=\"en\">/ ").Append(Encoder.Encode(labelEn)).Append("</span></dt><dd>");
        if (code) b.Append("<code>").Append(Encoder.Encode(value)).Append("</code>");
        else b.Append(Encoder.Encode(value));
        return b.Append("</dd>");
    }

    /// <summary>A paragraph in Bahasa Indonesia followed by its English.</summary>
    public static StringBuilder Say(this StringBuilder b, string id, string en) =>
        b.Append("<p>").Append(Encoder.Encode(id)).Append(" <span class=\"en\" lang=\"en\">").Append(Encoder.Encode(en)).Append("</span></p>");

    /// <summary>The form that sends a file to be checked against <paramref name="serial"/> (POST /v/{serial}).</summary>
    public static StringBuilder UploadForm(this StringBuilder b, string serial)
    {
        b.Append("<form method=\"post\" action=\"/v/").Append(Encoder.Encode(serial)).Append("\" enctype=\"multipart/form-data\">");
        b.Append("<label for=\"file\">Periksa berkas PDF <span class=\"en\" lang=\"en\">/ Check a PDF file</span></label><br>");
        b.Append("<input id=\"file\" type=\"file\" name=\"file\" accept=\"application/pdf\" required><br>");
        b.Append("<label for=\"password\">Kata sandi berkas, bila ada <span class=\"en\" lang=\"en\">/ File password, if any</span></label><br>");
        b.Append("<input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"off\"><br>");
        return b.Append("<button type=\"submit\">Periksa <span lang=\"en\">/ Check</span></button></form>");
    }

    public static string End(this StringBuilder b) => b.Append("</main></body></html>").ToString();
}
