using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>
/// TEST-ONLY: a one-page PDF with one signature field, signed with the real two-step CAdES code, so that pdfsig can
/// judge our CMS inside a PDF before the engine exists. The engine writes real documents; this writes just enough.
/// </summary>
internal static class MinimalSignedPdf
{
    public static async Task<byte[]> CreateAsync(ISigner signer, ITimestampClient? timestamps)
    {
        var profile = CadesSignature.For(signer);
        var reserved = profile.MaxEncodedSize(timestamps?.MaxTokenSize ?? 0);
        var placeholder = "/ByteRange [0 0000000000 0000000000 0000000000]";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Meterai) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 5 0 R >>",
            $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached {placeholder} /M (D:20240930120000Z) /Contents <{new string('0', 2 * reserved)}> >>",
        };

        var text = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(text.Length);
            text.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = text.Length;
        text.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) text.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        text.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");

        var pdf = Encoding.Latin1.GetBytes(text.ToString());
        var source = text.ToString();
        var gapStart = source.IndexOf("/Contents <", StringComparison.Ordinal) + "/Contents ".Length;
        var gapEnd = source.IndexOf('>', gapStart) + 1;
        var byteRange = $"/ByteRange [0 {gapStart:D10} {gapEnd:D10} {pdf.Length - gapEnd:D10}]";
        Encoding.Latin1.GetBytes(byteRange).CopyTo(pdf, source.IndexOf(placeholder, StringComparison.Ordinal));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(pdf, 0, gapStart);
        hash.AppendData(pdf, gapEnd, pdf.Length - gapEnd);
        var prepared = profile.Prepare(hash.GetHashAndReset());
        var signature = signer.SignDigest(prepared.DigestToSign.Span);
        var token = timestamps is null ? [] : (await timestamps.GetTokenAsync(signature)).Value;
        var cms = profile.Complete(prepared, signature, token).Value;
        Encoding.Latin1.GetBytes(Convert.ToHexString(cms)).CopyTo(pdf, gapStart + 1);
        return pdf;
    }
}
