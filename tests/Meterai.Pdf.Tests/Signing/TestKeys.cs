using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>
/// Keys shared by the signing tests: one development issuer made by the real <see cref="DevelopmentIssuer"/> in a
/// temporary data folder (key generation takes a second, so once per run), and an ECDSA P-256 signer under its own
/// small test root, for the second algorithm.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<DevelopmentIssuer> LazyIssuer = new(() =>
        DevelopmentIssuer.LoadOrCreate(Directory.CreateTempSubdirectory("meterai-signing-").FullName, Meterai.TestSupport.TestSecrets.Sealer));

    private static readonly Lazy<(Pkcs12Signer Signer, X509Certificate2 Root)> LazyEcdsa = new(CreateEcdsa);

    public static DevelopmentIssuer Issuer => LazyIssuer.Value;

    public static Pkcs12Signer EcdsaSigner => LazyEcdsa.Value.Signer;

    public static X509Certificate2 EcdsaRoot => LazyEcdsa.Value.Root;

    /// <summary>A folder for one test's files; the OS cleans /tmp, and the names say what made them.</summary>
    public static string TempFolder(string purpose) => Directory.CreateTempSubdirectory($"meterai-{purpose}-").FullName;

    private static (Pkcs12Signer, X509Certificate2) CreateEcdsa()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Meterai Test ECDSA Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var root = rootRequest.CreateSelfSigned(now, now.AddYears(1));

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Meterai Test ECDSA Signer, O=Meterai tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        using var leaf = request.Create(root, now, now.AddYears(1), [0x01, 0x02, 0x03, 0x04]);
        var withKey = leaf.CopyWithPrivateKey(key);
        var rootPublic = X509CertificateLoader.LoadCertificate(root.RawData);
        return (Pkcs12Signer.FromCertificate(withKey, [rootPublic]), rootPublic);
    }
}
