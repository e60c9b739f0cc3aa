using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>Signatures made by other tools (Acrobat Sign, qpdf's test suite, Distiller-era signers), checked against pdfsig's verdicts.</summary>
public class CorpusSignatureTests
{
    private static (PdfSignatureExtractor.Found Found, CmsVerification Verdict) VerifyOnly(string file)
    {
        var path = Path.Combine(TestEnvironment.RequireCorpus(), file);
        var found = Assert.Single(PdfSignatureExtractor.Find(File.ReadAllBytes(path)));
        var parsed = CmsSignatureVerifier.Parse(found.Contents, found.SubFilter);
        Assert.True(parsed.IsOk, parsed.Error?.ToString());
        return (found, parsed.Value.Verify(found.Digest(parsed.Value.ByteRangeDigestAlgorithm)));
    }

    private static string PdfSig(string file)
    {
        ExternalTool.Require("pdfsig");
        return ExternalTool.Run("pdfsig", [Path.Combine(TestEnvironment.RequireCorpus(), file)]).All;
    }

    [Theory]
    [InlineData("qpdf-digitally-signed.pdf", "John Doe")]
    [InlineData("acrobatsign-certified-restricted.pdf", "Adobe Acrobat Sign")]
    public void Valid_signatures_of_other_tools_are_valid_as_pdfsig_says(string file, string commonName)
    {
        var (found, verdict) = VerifyOnly(file);
        Assert.True(verdict.IsValid, verdict.Failure?.ToString());
        Assert.Equal(commonName, verdict.SignerCommonName);
        Assert.Equal("adbe.pkcs7.detached", found.SubFilter);

        var pdfsig = PdfSig(file);
        Assert.Contains("Signature Validation: Signature is Valid.", pdfsig);
        Assert.Contains($"Signer Certificate Common Name: {commonName}", pdfsig);
        // pdfsig also judges the certificate (expired, untrusted): a separate question, as in CheckChain.
        Assert.False(verdict.SignerCertificate is null);
    }

    [Fact]
    public void Distiller_era_SHA1_signature_verifies_and_openssl_agrees()
    {
        // pdfsig finds no signature field in this file's last revision and gives no verdict, so openssl is the referee.
        var (found, verdict) = VerifyOnly("pdfjs-distiller5-form.pdf");
        Assert.True(verdict.IsValid, verdict.Failure?.ToString());
        Assert.Equal(System.Security.Cryptography.HashAlgorithmName.SHA1, verdict.DigestAlgorithm);
        Assert.Equal(OpenSslVerifies(found), verdict.IsValid);

        var changed = found with { File = [.. found.File] };
        changed.File[100] ^= 1;
        Assert.Equal(VerificationErrors.DigestMismatch, CmsSignatureVerifier.Parse(changed.Contents).Value.Verify(changed.Digest(verdict.DigestAlgorithm)).Failure!.Code);
    }

    [Fact]
    public void Signature_whose_digest_algorithms_contradict_each_other_is_not_valid_as_pdfsig_and_openssl_say()
    {
        // SignedData.digestAlgorithms says SHA-1, the SignerInfo says SHA-256 (and its message digest is the SHA-256
        // of the ByteRange). pdfsig hashes with SHA-1 and reports a digest mismatch; openssl finds no matching
        // digest. We call the CMS malformed, never valid.
        var (found, verdict) = VerifyOnly("pdfjs-signed-digest-mismatch.pdf");
        Assert.False(verdict.IsValid);
        Assert.Equal(VerificationErrors.MalformedCms, verdict.Failure!.Code);
        Assert.Equal("test-pdf-signer", verdict.SignerCommonName);
        Assert.Contains("Signature Validation: Digest Mismatch.", PdfSig("pdfjs-signed-digest-mismatch.pdf"));
        Assert.False(OpenSslVerifies(found));
    }

    private static bool OpenSslVerifies(PdfSignatureExtractor.Found found)
    {
        ExternalTool.Require("openssl");
        var folder = TestKeys.TempFolder("corpus");
        var content = Path.Combine(folder, "signed-bytes");
        var cms = Path.Combine(folder, "contents.der");
        using (var stream = File.Create(content))
        {
            for (var i = 0; i < found.ByteRange.Length; i += 2) stream.Write(found.File, (int)found.ByteRange[i], (int)found.ByteRange[i + 1]);
        }

        File.WriteAllBytes(cms, found.Contents);
        return ExternalTool.Run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", cms, "-content", content, "-noverify", "-out", "/dev/null"]).ExitCode == 0;
    }
}
