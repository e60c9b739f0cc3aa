using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Secrets;
using Meterai.Pdf.Signing;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Secrets;

/// <summary>
/// Issue 10 items 10d and 5: a node started with no set-up keeps the issuer's and TSA's keys (their password sealed
/// with the key-encryption key) and the root's certificate, never the root CA's private key.
/// </summary>
public sealed class IssuerKeysOnNodeTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    [Fact]
    public async Task A_node_started_with_no_set_up_holds_no_private_key_of_a_certificate_authority()
    {
        await using var service = await TestService.StartAsync(backend);
        var folder = Path.Combine(service.DataDirectory, "keys", DevelopmentIssuer.FolderName);
        Assert.False(File.Exists(Path.Combine(folder, "root-ca.p12")), "the development root CA's key is on the serving node");

        var password = System.Text.Encoding.ASCII.GetString(
            TestSecrets.Sealer.Open(File.ReadAllBytes(Path.Combine(folder, DevelopmentIssuer.SealedPasswordFile)), DevelopmentIssuer.PasswordPurpose).Value);
        var keys = 0;
        foreach (var p12 in Directory.GetFiles(folder, "*.p12"))
        {
            foreach (var certificate in X509CertificateLoader.LoadPkcs12CollectionFromFile(p12, password))
            {
                if (!certificate.HasPrivateKey) continue;
                keys++;
                Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority), $"{p12}: the key of CA {certificate.Subject}");
            }
        }

        Assert.Equal(2, keys); // the issuer's and the TSA's: what signing needs
        var keysService = service.Service<Meterai.Server.Stamping.IssuerKeys>();
        Assert.Equal(DevelopmentIssuer.RootCaCommonName, keysService.TrustedRoot.GetNameInfo(X509NameType.SimpleName, false));
        Assert.False(keysService.TrustedRoot.HasPrivateKey);
        Assert.False(SealedSecret.IsSealed(File.ReadAllBytes(Path.Combine(folder, "issuer.p12"))));
    }
}
