using Meterai.Core.Serials;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Support;
using Meterai.Pdf.Verification;

namespace Meterai.Pdf.Tests.Stamping;

/// <summary>Stamping helpers shared by the engine tests.</summary>
internal static class StampTestKit
{
    public static readonly StampEngine Engine = new(new StampEngineOptions { PublicBaseUrl = "https://meterai.example" });

    public static StampRequest Request(byte[] input, int page = 1, string? password = null, PdfRect? rect = null) => new()
    {
        Serial = SerialNumber.New(),
        Page = page,
        Rectangle = rect ?? PageInspector.Describe(new MemoryStream(input, writable: false), page, password).Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin),
        SigningTime = new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.FromHours(7)),
        Password = password,
    };

    public static (byte[] Output, StampOutcome Outcome) Stamp(byte[] input, StampRequest request, StampEngine? engine = null)
    {
        var output = new MemoryStream();
        var result = (engine ?? Engine).Stamp(new MemoryStream(input, writable: false), output, request, TestSigner.Signer);
        Assert.True(result.IsOk, result.Error?.ToString());
        return (output.ToArray(), result.Value);
    }

    public static (byte[] Output, StampOutcome Outcome) Stamp(byte[] input, int page = 1, string? password = null) => Stamp(input, Request(input, page, password));

    public static string Refusal(byte[] input, StampRequest request)
    {
        var result = Engine.Stamp(new MemoryStream(input, writable: false), new MemoryStream(), request, TestSigner.Signer);
        Assert.False(result.IsOk, "expected a refusal but the file was stamped");
        return result.Error.Code;
    }

    public static VerificationReport Verify(byte[] pdf, string? password = null)
    {
        var r = PdfVerifier.Verify(new MemoryStream(pdf, writable: false), password);
        Assert.True(r.IsOk, r.Error?.ToString());
        return r.Value;
    }

    /// <summary>
    /// Appends an update that replaces the fixture's page 1 content stream (object 5): a real change of what an
    /// earlier signature sealed.
    /// </summary>
    public static byte[] AppendContentChange(byte[] signed)
    {
        var doc = Meterai.Pdf.Parsing.PdfDocument.Open(new Meterai.Pdf.Parsing.MemoryByteSource(signed), PdfLimits.Default, null);
        var text = "BT /F1 30 Tf 100 400 Td (Altered) Tj ET";
        var update = $"\n5 0 obj\n<< /Length {text.Length} >>\nstream\n{text}\nendstream\nendobj\n";
        var xrefAt = signed.Length + update.Length;
        var size = ((Meterai.Pdf.Objects.PdfInteger)doc.Trailer["Size"]!).Value;
        update += $"xref\n5 1\n{signed.Length + 1:D10} 00000 n\r\ntrailer\n<< /Size {size} /Root 1 0 R /Prev {doc.StartXref} >>\nstartxref\n{xrefAt}\n%%EOF\n";
        return signed.Concat(System.Text.Encoding.ASCII.GetBytes(update)).ToArray();
    }

    /// <summary>The checks every stamped output must pass: prefix, qpdf, pdfsig, our verifier.</summary>
    public static void AssertSound(byte[] input, byte[] output, string name, string? password = null)
    {
        Assert.True(output.AsSpan(0, input.Length).SequenceEqual(input), "the input must be a byte prefix of the output");
        var path = Fixtures.Fixtures.Save(name, output);
        PdfTools.AssertQpdfClean(path, password);
        var sigs = PdfTools.Pdfsig(path, password);
        Assert.NotEmpty(sigs);
        Assert.True(sigs[^1].IsValid, $"pdfsig: {sigs[^1].Validation}");
        var report = Verify(output, password);
        var last = report.Signatures[^1];
        Assert.True(last.IntegrityValid, $"{last.FailureCode}: {last.FailureMessage}");
        Assert.True(last.IsEMeterai && last.CoversWholeFile);
    }
}
