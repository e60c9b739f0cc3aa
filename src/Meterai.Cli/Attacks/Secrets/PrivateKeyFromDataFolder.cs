using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Meterai.Cli.Attacks.Secrets;

/// <summary>
/// Issue 10 items 5 and 10d: a reader of the data folder looks for private keys it can open with what lies beside
/// them (an empty password, or any plaintext password file). A CA's key would let it issue "official" certificates;
/// the issuer's key would let it sign stamps. Held when no private key opens from the folder alone.
/// </summary>
public sealed class PrivateKeyFromDataFolder : IAttack
{
    public string Id => "private-key-from-data-folder";

    public string Item => "10d";

    public string Description => "open a private key (the root CA's, the issuer's, the TSA's) from the data folder alone";

    public Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        if (target.DataDirectory is not { } data) return Task.FromResult(AttackOutcome.Skipped("no access to the node's data folder (--data-dir)"));
        var files = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}files{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        var passwords = files.Where(f => f.EndsWith(".password", StringComparison.Ordinal)).Select(f => File.ReadAllText(f).Trim()).Append("").ToList();
        var found = new List<string>();
        foreach (var p12 in files.Where(f => f.EndsWith(".p12", StringComparison.Ordinal) || f.EndsWith(".pfx", StringComparison.Ordinal)))
        {
            foreach (var password in passwords)
            {
                try
                {
                    foreach (var certificate in X509CertificateLoader.LoadPkcs12CollectionFromFile(p12, password))
                    {
                        if (!certificate.HasPrivateKey) continue;
                        var ca = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
                        found.Add($"{Path.GetRelativePath(data, p12)}: {(ca ? "CA " : "")}{certificate.GetNameInfo(X509NameType.SimpleName, false)}");
                    }

                    break;
                }
                catch (CryptographicException)
                {
                    // Not this password.
                }
            }
        }

        found.AddRange(files.Where(f => new FileInfo(f).Length < 1 << 20 && File.ReadAllText(f).Contains("PRIVATE KEY-----", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(data, f) + ": a PEM private key"));
        return Task.FromResult(found.Count == 0
            ? AttackOutcome.Held($"no private key opens from the data folder alone ({files.Count} files looked at)")
            : AttackOutcome.Breached("private keys opened: " + string.Join("; ", found)));
    }
}
