using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

public class DevelopmentIssuerTests
{
    private static DevelopmentIssuer Issuer => TestKeys.Issuer;

    [Fact]
    public void Files_are_laid_out_with_private_keys_readable_by_the_owner_only()
    {
        var folder = Issuer.Folder;
        Assert.EndsWith(Path.Combine("keys", "development"), folder);
        Assert.Equal(
            new[] { "issuer.p12", "issuer.pem", "pkcs12.password", "root-ca.p12", "root-ca.pem", "tsa.p12", "tsa.pem" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var secret in new[] { "issuer.p12", "root-ca.p12", "tsa.p12", "pkcs12.password" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, secret)));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, ".development-*"));
    }

    [Fact]
    public void Issuer_certificate_is_for_document_signing_under_the_development_root()
    {
        var certificate = Issuer.Signer.Certificate;
        Assert.Contains("NOT FOR PRODUCTION", certificate.Subject);
        Assert.Contains("NOT FOR PRODUCTION", Issuer.RootCertificate.Subject);
        Assert.Equal(Oids.Sha256WithRsa, Issuer.Signer.SignatureAlgorithmOid);
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
        Assert.Equal(256, Issuer.Signer.MaxSignatureSize);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, usage.KeyUsages);
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([Oids.DocumentSigning, Oids.EmailProtection], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(eku.Critical);
        Assert.Equal(Issuer.RootCertificate.Thumbprint, Assert.Single(Issuer.Signer.Chain).Thumbprint);
        Assert.True(Issuer.RootCertificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Fact]
    public void Tsa_certificate_has_only_the_critical_time_stamping_usage()
    {
        var certificate = Issuer.TimestampSigner.Certificate;
        Assert.Contains("NOT FOR PRODUCTION", certificate.Subject);
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.True(eku.Critical);
        Assert.Equal([Oids.TimeStamping], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(Oids.EcdsaWithSha256, Issuer.TimestampSigner.SignatureAlgorithmOid);
    }

    [Fact]
    public void OpenSsl_verifies_both_certificates_against_the_root_pem()
    {
        ExternalTool.Require("openssl");
        var root = Issuer.RootCertificatePemPath;
        var issuer = ExternalTool.Run("openssl", ["verify", "-CAfile", root, Path.Combine(Issuer.Folder, "issuer.pem")]);
        Assert.True(issuer.ExitCode == 0, issuer.All);
        var tsa = ExternalTool.Run("openssl", ["verify", "-CAfile", root, "-purpose", "timestampsign", Path.Combine(Issuer.Folder, "tsa.pem")]);
        Assert.True(tsa.ExitCode == 0, tsa.All);
        var password = File.ReadAllText(Path.Combine(Issuer.Folder, "pkcs12.password")).Trim();
        var p12 = ExternalTool.Run("openssl", ["pkcs12", "-in", Path.Combine(Issuer.Folder, "issuer.p12"), "-passin", $"pass:{password}", "-nokeys", "-info"]);
        Assert.True(p12.ExitCode == 0, p12.All);
        Assert.Contains("AES-256-CBC", p12.All);
    }

    [Fact]
    public void A_second_start_reloads_the_same_keys()
    {
        var dataDir = Path.GetDirectoryName(Path.GetDirectoryName(Issuer.Folder))!;
        using var again = DevelopmentIssuer.LoadOrCreate(dataDir);
        Assert.Equal(Issuer.Signer.Certificate.Thumbprint, again.Signer.Certificate.Thumbprint);
        Assert.Equal(Issuer.TimestampSigner.Certificate.Thumbprint, again.TimestampSigner.Certificate.Thumbprint);
        var digest = SHA256.HashData("reload"u8);
        Assert.True(Issuer.Signer.Certificate.GetRSAPublicKey()!.VerifyHash(digest, again.Signer.SignDigest(digest), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Several_processes_starting_at_once_on_a_fresh_folder_agree_on_one_set()
    {
        var dataDir = TestKeys.TempFolder("race");
        // Threads race through the same filesystem steps as processes would (mkdir, write, rename).
        var issuers = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => DevelopmentIssuer.LoadOrCreate(dataDir), TestContext.Current.CancellationToken))
            .ToArray();
        var loaded = await Task.WhenAll(issuers);

        Assert.Single(loaded.Select(i => i.Signer.Certificate.Thumbprint).Distinct());
        Assert.Single(loaded.Select(i => i.RootCertificate.Thumbprint).Distinct());
        Assert.Equal(["development"], Directory.GetDirectories(Path.Combine(dataDir, "keys")).Select(Path.GetFileName));
        foreach (var issuer in loaded) issuer.Dispose();
    }
}
