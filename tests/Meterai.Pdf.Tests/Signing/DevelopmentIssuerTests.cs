using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Secrets;
using Meterai.Pdf.Signing;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Signing;

public class DevelopmentIssuerTests
{
    private static DevelopmentIssuer Issuer => TestKeys.Issuer;

    private static SecretSealer Sealer => TestSecrets.Sealer;

    [Fact]
    public void Files_are_laid_out_readable_by_the_owner_only()
    {
        var folder = Issuer.Folder;
        Assert.EndsWith(Path.Combine("keys", "development"), folder);
        Assert.Equal(
            new[] { "issuer.p12", "issuer.pem", "pkcs12.password.sealed", "root-ca.pem", "tsa.p12", "tsa.pem" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var file in Directory.GetFiles(folder)) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, ".development-*"));
    }

    /// <summary>Issue 10 item 10d: the node keeps what signing needs; the root CA's private key is nowhere in the data folder.</summary>
    [Fact]
    public void The_node_keeps_no_private_key_of_the_root()
    {
        var password = OpenPassword(Issuer.Folder);
        foreach (var p12 in Directory.GetFiles(Issuer.Folder, "*.p12"))
        {
            foreach (var certificate in X509CertificateLoader.LoadPkcs12CollectionFromFile(p12, password))
            {
                var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
                Assert.False(isCa && certificate.HasPrivateKey, $"{Path.GetFileName(p12)} holds the private key of CA {certificate.Subject}");
            }
        }

        Assert.False(File.Exists(Path.Combine(Issuer.Folder, "root-ca.p12")));
    }

    /// <summary>Issue 10 item 5: the PKCS#12 password sits sealed with the key-encryption key, so the data folder alone opens no key.</summary>
    [Fact]
    public void The_data_folder_alone_opens_no_private_key()
    {
        foreach (var file in Directory.GetFiles(Issuer.Folder))
        {
            Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(file), StringComparison.Ordinal);
        }

        var sealedPassword = File.ReadAllBytes(Path.Combine(Issuer.Folder, DevelopmentIssuer.SealedPasswordFile));
        Assert.True(SealedSecret.IsSealed(sealedPassword));
        Assert.Equal(Sealer.Current.Id, SealedSecret.KeyIdOf(sealedPassword));
        var other = new SecretSealer([KeyEncryptionKey.New()]);
        Assert.Equal(SecretErrors.KeyUnknown, other.Open(sealedPassword, DevelopmentIssuer.PasswordPurpose).Error?.Code);
        Assert.Throws<InvalidDataException>(() => DevelopmentIssuer.LoadOrCreate(DataDirOf(Issuer), other));
    }

    [Fact]
    public void A_folder_from_before_sealing_is_upgraded_in_place_and_loses_the_root_key()
    {
        var dataDir = TestKeys.TempFolder("upgrade");
        string thumbprint;
        using (var first = DevelopmentIssuer.LoadOrCreate(dataDir, Sealer)) thumbprint = first.Signer.Certificate.Thumbprint;
        var folder = Path.Combine(dataDir, "keys", "development");
        // The layout the previous version wrote: the password in plaintext beside the files, and the root's key.
        var password = OpenPassword(folder);
        File.WriteAllText(Path.Combine(folder, "pkcs12.password"), password + "\n");
        File.Delete(Path.Combine(folder, DevelopmentIssuer.SealedPasswordFile));
        File.WriteAllBytes(Path.Combine(folder, "root-ca.p12"), [1, 2, 3]);

        using var upgraded = DevelopmentIssuer.LoadOrCreate(dataDir, Sealer);

        Assert.Equal(thumbprint, upgraded.Signer.Certificate.Thumbprint);
        Assert.False(File.Exists(Path.Combine(folder, "pkcs12.password")));
        Assert.False(File.Exists(Path.Combine(folder, "root-ca.p12")));
        Assert.Equal(password, OpenPassword(folder));
    }

    [Fact]
    public void Issuer_init_writes_the_root_key_outside_the_data_folder_and_the_node_set_inside()
    {
        var dataDir = TestKeys.TempFolder("init");
        var rootOut = TestKeys.TempFolder("init-root");
        var made = DevelopmentIssuer.Initialize(dataDir, Sealer, rootOut);
        Assert.True(made.IsOk, made.Error?.ToString());

        using var node = DevelopmentIssuer.LoadOrCreate(dataDir, Sealer);
        var rootPassword = File.ReadAllText(Path.Combine(rootOut, "root-ca.password")).Trim();
        using var root = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(rootOut, "root-ca.p12"), rootPassword);
        Assert.True(root.HasPrivateKey);
        Assert.Equal(root.Thumbprint, node.RootCertificate.Thumbprint);
        Assert.Equal(root.Thumbprint, Assert.Single(node.Signer.Chain).Thumbprint);
        Assert.False(File.Exists(Path.Combine(node.Folder, "root-ca.p12")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(rootOut, "root-ca.p12")));

        Assert.Equal("issuer_keys_exist", DevelopmentIssuer.Initialize(dataDir, Sealer, TestKeys.TempFolder("init-again")).Error?.Code);
        var inside = TestKeys.TempFolder("init-inside");
        Assert.Equal("root_key_in_data_folder", DevelopmentIssuer.Initialize(inside, Sealer, Path.Combine(inside, "root")).Error?.Code);
    }

    private static string OpenPassword(string folder)
    {
        var opened = Sealer.Open(File.ReadAllBytes(Path.Combine(folder, DevelopmentIssuer.SealedPasswordFile)), DevelopmentIssuer.PasswordPurpose);
        Assert.True(opened.IsOk, opened.Error?.ToString());
        return System.Text.Encoding.ASCII.GetString(opened.Value);
    }

    private static string DataDirOf(DevelopmentIssuer issuer) => Path.GetDirectoryName(Path.GetDirectoryName(issuer.Folder))!;

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
        var password = OpenPassword(Issuer.Folder);
        var p12 = ExternalTool.Run("openssl", ["pkcs12", "-in", Path.Combine(Issuer.Folder, "issuer.p12"), "-passin", $"pass:{password}", "-nokeys", "-info"]);
        Assert.True(p12.ExitCode == 0, p12.All);
        Assert.Contains("AES-256-CBC", p12.All);
    }

    [Fact]
    public void A_second_start_reloads_the_same_keys()
    {
        using var again = DevelopmentIssuer.LoadOrCreate(DataDirOf(Issuer), Sealer);
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
            .Select(_ => Task.Run(() => DevelopmentIssuer.LoadOrCreate(dataDir, Sealer), TestContext.Current.CancellationToken))
            .ToArray();
        var loaded = await Task.WhenAll(issuers);

        Assert.Single(loaded.Select(i => i.Signer.Certificate.Thumbprint).Distinct());
        Assert.Single(loaded.Select(i => i.RootCertificate.Thumbprint).Distinct());
        Assert.Equal(["development"], Directory.GetDirectories(Path.Combine(dataDir, "keys")).Select(Path.GetFileName));
        foreach (var issuer in loaded) issuer.Dispose();
    }
}
