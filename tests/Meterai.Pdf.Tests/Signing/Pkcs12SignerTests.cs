using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

public class Pkcs12SignerTests
{
    private static string Password => System.Text.Encoding.ASCII.GetString(Meterai.TestSupport.TestSecrets.Sealer
        .Open(File.ReadAllBytes(Path.Combine(TestKeys.Issuer.Folder, DevelopmentIssuer.SealedPasswordFile)), DevelopmentIssuer.PasswordPurpose).Value);

    [Fact]
    public void Loads_the_signer_and_orders_its_chain()
    {
        var loaded = Pkcs12Signer.Load(Path.Combine(TestKeys.Issuer.Folder, "issuer.p12"), Password);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        using var signer = loaded.Value;
        Assert.Equal(TestKeys.Issuer.Signer.Certificate.Thumbprint, signer.Certificate.Thumbprint);
        Assert.Equal(TestKeys.Issuer.RootCertificate.Thumbprint, Assert.Single(signer.Chain).Thumbprint);
    }

    [Fact]
    public void Loads_an_ECDSA_key()
    {
        var folder = TestKeys.TempFolder("p12");
        var path = Path.Combine(folder, "ecdsa.p12");
        var ecdsa = TestKeys.EcdsaSigner;
        File.WriteAllBytes(path, new X509Certificate2Collection(new[] { ecdsa.Certificate, ecdsa.Chain[0] }).ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "pw"));
        using var signer = Pkcs12Signer.Load(path, "pw").Value;
        Assert.Equal(Oids.EcdsaWithSha256, signer.SignatureAlgorithmOid);
        Assert.Equal(72, signer.MaxSignatureSize);
        var digest = SHA256.HashData("x"u8);
        Assert.True(signer.Certificate.GetECDsaPublicKey()!.VerifyHash(digest, signer.SignDigest(digest), DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Missing_file_wrong_password_and_no_key_are_errors()
    {
        var folder = TestKeys.TempFolder("p12");
        Assert.Equal(SigningErrors.Pkcs12NotFoundCode, Pkcs12Signer.Load(Path.Combine(folder, "absent.p12"), "x").Error!.Code);
        Assert.Equal(SigningErrors.Pkcs12UnreadableCode, Pkcs12Signer.Load(Path.Combine(TestKeys.Issuer.Folder, "issuer.p12"), "wrong").Error!.Code);
        var notP12 = Path.Combine(folder, "not.p12");
        File.WriteAllText(notP12, "hello");
        Assert.Equal(SigningErrors.Pkcs12UnreadableCode, Pkcs12Signer.Load(notP12, "x").Error!.Code);
        var certificatesOnly = Path.Combine(folder, "certs.p12");
        File.WriteAllBytes(certificatesOnly, new X509Certificate2Collection(TestKeys.Issuer.RootCertificate).ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, "x"));
        Assert.Equal(SigningErrors.Pkcs12NoSigningKeyCode, Pkcs12Signer.Load(certificatesOnly, "x").Error!.Code);
    }

    [Fact]
    public void Refuses_a_digest_that_is_not_SHA256_sized()
    {
        Assert.Throws<ArgumentException>(() => TestKeys.Issuer.Signer.SignDigest(new byte[20]));
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public async Task One_instance_signs_correctly_from_many_threads_at_once(string kind)
    {
        // OpenSSL 3 allows concurrent signing with one EVP_PKEY; this checks every value made under contention.
        var signer = kind == "rsa" ? TestKeys.Issuer.Signer : TestKeys.EcdsaSigner;
        var profile = CadesSignature.For(signer);
        var failures = 0;
        var workers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                var prepared = profile.Prepare(SHA256.HashData(BitConverter.GetBytes(t * 1000 + i)));
                if (!profile.Complete(prepared, signer.SignDigest(prepared.DigestToSign.Span)).IsOk) Interlocked.Increment(ref failures);
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(workers);
        Assert.Equal(0, failures);
    }
}
