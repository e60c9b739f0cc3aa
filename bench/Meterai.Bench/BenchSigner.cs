using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;

namespace Meterai.Bench;

/// <summary>A throwaway RSA-2048 signer for benchmarks and fuzzing: same key type as the peer's and the issuer's.</summary>
public static class BenchSigner
{
    public static Pkcs12Signer CreateRsa2048()
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Meterai Bench Signer RSA-2048, O=Meterai bench (not a real issuer)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return Pkcs12Signer.FromCertificate(certificate, []);
    }
}
