using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>poppler's pdfsig (NSS underneath) judges our CMS inside a PDF, and accepts the development chain when trusted.</summary>
public class PdfSigTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pdfsig_says_our_signature_is_valid_and_the_development_chain_trusted(bool timestamped)
    {
        ExternalTool.Require("pdfsig");
        ExternalTool.Require("certutil");
        var folder = TestKeys.TempFolder("pdfsig");
        var pdf = Path.Combine(folder, "signed.pdf");
        var timestamps = timestamped ? new InProcessTimestampClient(TestKeys.Issuer.CreateTimestampAuthority()) : null;
        await File.WriteAllBytesAsync(pdf, await MinimalSignedPdf.CreateAsync(TestKeys.Issuer.Signer, timestamps), TestContext.Current.CancellationToken);

        var untrusted = ExternalTool.Run("pdfsig", [pdf]).All;
        Assert.Contains("Signature Validation: Signature is Valid.", untrusted);
        Assert.Contains("Total document signed", untrusted);
        Assert.Contains($"Signer Certificate Common Name: {DevelopmentIssuer.IssuerCommonName}", untrusted);
        Assert.Contains("Signature Type: ETSI.CAdES.detached", untrusted);

        // An NSS database that trusts the development root, as an operator's verifier would.
        var nss = Path.Combine(folder, "nss");
        Directory.CreateDirectory(nss);
        Assert.Equal(0, ExternalTool.Run("certutil", ["-N", "-d", $"sql:{nss}", "--empty-password"]).ExitCode);
        var added = ExternalTool.Run("certutil", ["-A", "-d", $"sql:{nss}", "-n", "meterai-dev-root", "-t", "C,C,C", "-i", TestKeys.Issuer.RootCertificatePemPath]);
        Assert.True(added.ExitCode == 0, added.All);
        var trusted = ExternalTool.Run("pdfsig", ["-nssdir", $"sql:{nss}", pdf]).All;
        Assert.Contains("Signature Validation: Signature is Valid.", trusted);
        Assert.Contains("Certificate Validation: Certificate is Trusted.", trusted);

        // Our verifier agrees on the same bytes.
        var found = Assert.Single(PdfSignatureExtractor.Find(await File.ReadAllBytesAsync(pdf, TestContext.Current.CancellationToken)));
        var parsed = CmsSignatureVerifier.Parse(found.Contents, found.SubFilter).Value;
        var verdict = parsed.Verify(found.Digest(parsed.ByteRangeDigestAlgorithm));
        Assert.True(verdict.IsValid);
        Assert.Equal(timestamped, verdict.Timestamp?.IsValid ?? false);

        // One changed byte inside the signed range (the page size): pdfsig and our verifier both see it.
        var bytes = await File.ReadAllBytesAsync(pdf, TestContext.Current.CancellationToken);
        var mediaBox = bytes.AsSpan().IndexOf("200 200]"u8);
        bytes[mediaBox + 6] = (byte)'1';
        await File.WriteAllBytesAsync(pdf, bytes, TestContext.Current.CancellationToken);
        Assert.Contains("Digest Mismatch", ExternalTool.Run("pdfsig", [pdf]).All);
        var changed = Assert.Single(PdfSignatureExtractor.Find(bytes));
        Assert.Equal(VerificationErrors.DigestMismatch, parsed.Verify(changed.Digest(parsed.ByteRangeDigestAlgorithm)).Failure!.Code);
    }
}
