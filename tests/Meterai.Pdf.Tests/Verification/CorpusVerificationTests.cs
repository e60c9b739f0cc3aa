using Meterai.Pdf.Verification;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Verification;

/// <summary>The verifier on signatures written by others, judged the way pdfsig judges them.</summary>
public class CorpusVerificationTests
{
    private static VerificationReport Verify(string file)
    {
        var dir = TestEnvironment.RequireCorpus();
        using var input = File.OpenRead(Path.Combine(dir, file));
        var result = PdfVerifier.Verify(input);
        Assert.True(result.IsOk, result.Error?.ToString());
        return result.Value;
    }

    [Fact]
    public void A_valid_signature_covering_the_whole_file_is_valid_and_unchanged()
    {
        var report = Verify("qpdf-digitally-signed.pdf");
        var sig = Assert.Single(report.Signatures);
        Assert.True(sig.IntegrityValid, sig.FailureMessage);
        Assert.Equal("John Doe", sig.SignerName);
        Assert.True(sig.CoversWholeFile);
        Assert.Equal(ModificationLevel.None, sig.ChangesAfter);
        Assert.False(sig.IsEMeterai);
    }

    [Fact]
    public void A_certification_signature_in_an_encrypted_file_verifies_and_reports_its_level()
    {
        var sig = Assert.Single(Verify("acrobatsign-certified-restricted.pdf").Signatures);
        Assert.True(sig.IntegrityValid, sig.FailureMessage);
        Assert.Equal(1, sig.CertificationLevel);
        Assert.Equal("Adobe Acrobat Sign", sig.SignerName);
    }

    [Fact]
    public void A_signature_pdfsig_calls_a_digest_mismatch_is_invalid()
    {
        // Its CMS also contradicts itself (SignedData declares SHA-1, the signer used SHA-256): the CMS verifier
        // reports that first, as malformed_cms.
        var sig = Assert.Single(Verify("pdfjs-signed-digest-mismatch.pdf").Signatures);
        Assert.False(sig.IntegrityValid);
        Assert.Contains(sig.FailureCode, new[] { "digest_mismatch", "malformed_cms" });
        Assert.False(sig.CoversWholeFile);
    }

    [Fact]
    public void A_file_without_signatures_reports_none()
    {
        Assert.Empty(Verify("lo-surat-lamaran-1001.pdf").Signatures);
    }
}
