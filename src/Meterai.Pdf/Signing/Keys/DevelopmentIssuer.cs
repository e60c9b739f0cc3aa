using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Core.Secrets;

namespace Meterai.Pdf.Signing;

/// <summary>
/// The keys a fresh installation signs and timestamps with until an operator configures real ones: a development
/// root CA, an issuer certificate (RSA-2048, document signing) and a timestamp authority certificate (ECDSA P-256,
/// time stamping), all clearly named NOT FOR PRODUCTION. Created on first start under
/// <c>&lt;dataDir&gt;/keys/development/</c> and reloaded afterwards.
/// </summary>
/// <remarks>
/// The node keeps only what signing needs: <c>issuer.p12</c> and <c>tsa.p12</c> (key + certificate + the root's
/// certificate, PBES2/AES-256), <c>pkcs12.password.sealed</c> (their generated password, sealed with the
/// key-encryption key, which is not in the data folder), and <c>root-ca.pem</c>, <c>issuer.pem</c>, <c>tsa.pem</c>
/// (certificates only, for people and for <c>openssl -CAfile</c>); every file 0600 in a 0700 folder. The root's
/// private key never lands on a serving node: the server's first start generates the root, issues the issuer and TSA
/// certificates and discards the root's key; <c>meterai issuer init</c> does the same and writes the root's key to a
/// folder of the operator's choosing, off the serving path. A copied data folder (a backup, a bug report) therefore
/// holds no usable private key.
/// Several server processes may start at once on a fresh data folder: each builds the whole set in a private
/// temporary folder and renames it into place; rename is atomic and fails when the target exists, so exactly one
/// set wins, the others discard theirs and load it, and no process ever sees half a set.
/// A folder written before the password was sealed (a plaintext <c>pkcs12.password</c>, and a <c>root-ca.p12</c>
/// holding the root's key) is upgraded when loaded: the password is sealed and the plaintext and the root's key are
/// deleted.
/// </remarks>
public sealed class DevelopmentIssuer : IDisposable
{
    public const string FolderName = "development";
    public const string RootCaCommonName = "Meterai Development Root CA - NOT FOR PRODUCTION";
    public const string IssuerCommonName = "Meterai Development Issuer - NOT FOR PRODUCTION";
    public const string TsaCommonName = "Meterai Development Timestamp Authority - NOT FOR PRODUCTION";

    private const string RootFile = "root-ca";
    private const string IssuerFile = "issuer";
    private const string TsaFile = "tsa";
    private const string PlaintextPasswordFile = "pkcs12.password";
    public const string SealedPasswordFile = "pkcs12.password.sealed";
    public const string PasswordPurpose = "development_issuer_pkcs12_password";
    private const string Organisation = "Meterai (development only, not for production)";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private DevelopmentIssuer(string folder, X509Certificate2 root, Pkcs12Signer signer, Pkcs12Signer tsa)
    {
        Folder = folder;
        RootCertificate = root;
        Signer = signer;
        TimestampSigner = tsa;
    }

    /// <summary>The folder holding the files: <c>&lt;dataDir&gt;/keys/development</c>.</summary>
    public string Folder { get; }

    /// <summary>The development root CA certificate (public part): the trust anchor for verifying our stamps.</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>The issuer's signer: RSA-2048, chain = [root].</summary>
    public Pkcs12Signer Signer { get; }

    /// <summary>The timestamp authority's key and certificate: ECDSA P-256, chain = [root].</summary>
    public Pkcs12Signer TimestampSigner { get; }

    public string RootCertificatePemPath => Path.Combine(Folder, RootFile + ".pem");

    /// <summary>A timestamp authority over <see cref="TimestampSigner"/>.</summary>
    public TimestampAuthority CreateTimestampAuthority(IClock? clock = null) =>
        new(TimestampSigner.Certificate, TimestampSignerKey(), clock ?? SystemClock.Instance);

    /// <summary>Loads the development keys under <paramref name="dataDir"/>, creating them first when absent (the root's key is discarded).</summary>
    public static DevelopmentIssuer LoadOrCreate(string dataDir, SecretSealer sealer)
    {
        var folder = NodeFolder(dataDir);
        if (!Directory.Exists(folder))
        {
            using var set = NewSet();
            Publish(folder, set, sealer);
        }

        return Load(folder, sealer);
    }

    /// <summary>
    /// <c>meterai issuer init</c>: creates a new set for the node under <paramref name="dataDir"/> and writes the root's
    /// key (<c>root-ca.p12</c> and its password, 0600) to <paramref name="rootFolder"/>, which must be outside the data
    /// folder. Fails when the node already has a set (<c>issuer_keys_exist</c>) or the root folder holds one.
    /// </summary>
    public static Result<string> Initialize(string dataDir, SecretSealer sealer, string rootFolder)
    {
        var folder = NodeFolder(dataDir);
        var root = Path.GetFullPath(rootFolder);
        if (Directory.Exists(folder)) return new Error("issuer_keys_exist", $"{folder} already holds a development issuer");
        if (root.StartsWith(Path.GetFullPath(dataDir).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || root == Path.GetFullPath(dataDir))
        {
            return new Error("root_key_in_data_folder", "the root's key must be kept outside the data folder (it is what a reader of the data folder must not get)");
        }

        if (File.Exists(Path.Combine(root, RootFile + ".p12"))) return new Error("issuer_keys_exist", $"{root} already holds a root key");
        using var set = NewSet();
        CreatePrivateFolder(root);
        var password = NewPassword();
        WriteFile(Path.Combine(root, RootFile + ".password"), System.Text.Encoding.ASCII.GetBytes(password + "\n"), OwnerOnlyFile);
        WriteFile(Path.Combine(root, RootFile + ".p12"), Pkcs12([set.Root], password), OwnerOnlyFile);
        WriteFile(Path.Combine(root, RootFile + ".pem"), Pem(set.Root), OwnerOnlyFile);
        Publish(folder, set, sealer);
        return folder;
    }

    /// <summary>
    /// Seals the PKCS#12 password again with the current key-encryption key (<c>meterai kek reseal</c>, after a KEK
    /// rotation). False when there is no development issuer under <paramref name="dataDir"/> or it is already current.
    /// </summary>
    public static bool Reseal(string dataDir, SecretSealer sealer)
    {
        var path = Path.Combine(NodeFolder(dataDir), SealedPasswordFile);
        if (!File.Exists(path)) return false;
        var stored = File.ReadAllBytes(path);
        if (sealer.IsCurrent(stored)) return false;
        var opened = sealer.Open(stored, PasswordPurpose);
        if (!opened.IsOk) throw new InvalidDataException($"development issuer in {Path.GetDirectoryName(path)}: {opened.Error}");
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        WriteFile(temporary, sealer.Seal(opened.Value, PasswordPurpose), OwnerOnlyFile);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    private static string NodeFolder(string dataDir) => Path.Combine(Path.GetFullPath(Path.Combine(dataDir, "keys")), FolderName);

    private static void Publish(string folder, NewKeys set, SecretSealer sealer)
    {
        var keys = Path.GetDirectoryName(folder)!;
        CreatePrivateFolder(keys);
        RemoveAbandonedAttempts(keys);
        var attempt = Path.Combine(keys, $".{FolderName}-{Guid.NewGuid():N}.tmp");
        CreatePrivateFolder(attempt);
        try
        {
            WriteNodeSet(attempt, set, sealer);
            Directory.Move(attempt, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process won the race: its set is complete (it was renamed whole); use it.
        }
        finally
        {
            if (Directory.Exists(attempt)) Directory.Delete(attempt, recursive: true);
        }
    }

    private static DevelopmentIssuer Load(string folder, SecretSealer sealer)
    {
        var password = ReadPassword(folder, sealer);
        var issuer = Pkcs12Signer.Load(Path.Combine(folder, IssuerFile + ".p12"), password);
        var tsa = Pkcs12Signer.Load(Path.Combine(folder, TsaFile + ".p12"), password);
        if (!issuer.IsOk) throw new InvalidDataException($"development issuer in {folder}: {issuer.Error}");
        if (!tsa.IsOk) throw new InvalidDataException($"development timestamp authority in {folder}: {tsa.Error}");
        var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, RootFile + ".pem"));
        return new DevelopmentIssuer(folder, root, issuer.Value, tsa.Value);
    }

    /// <summary>The PKCS#12 password, opened with the KEK; a folder from before sealing is upgraded here (see remarks).</summary>
    private static string ReadPassword(string folder, SecretSealer sealer)
    {
        var sealedPath = Path.Combine(folder, SealedPasswordFile);
        var plaintextPath = Path.Combine(folder, PlaintextPasswordFile);
        if (!File.Exists(sealedPath) && File.Exists(plaintextPath))
        {
            var plain = System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(plaintextPath).Trim());
            var temporary = sealedPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            WriteFile(temporary, sealer.Seal(plain, PasswordPurpose), OwnerOnlyFile);
            try
            {
                File.Move(temporary, sealedPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(sealedPath))
            {
                File.Delete(temporary); // another process sealed it first
            }
        }

        var opened = sealer.Open(File.ReadAllBytes(sealedPath), PasswordPurpose);
        if (!opened.IsOk) throw new InvalidDataException($"development issuer in {folder}: {opened.Error}");
        // Only now that the sealed copy opens: the plaintext password and the root's key leave the node.
        File.Delete(plaintextPath);
        File.Delete(Path.Combine(folder, RootFile + ".p12"));
        return System.Text.Encoding.ASCII.GetString(opened.Value);
    }

    private static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A new root, issuer and TSA, in memory; the caller decides where (if anywhere) the root's key goes.</summary>
    private sealed class NewKeys(X509Certificate2 root, X509Certificate2 issuer, X509Certificate2 tsa) : IDisposable
    {
        public X509Certificate2 Root { get; } = root;

        public X509Certificate2 Issuer { get; } = issuer;

        public X509Certificate2 Tsa { get; } = tsa;

        public void Dispose()
        {
            Root.Dispose();
            Issuer.Dispose();
            Tsa.Dispose();
        }
    }

    private static void WriteNodeSet(string folder, NewKeys set, SecretSealer sealer)
    {
        var password = NewPassword();
        using var rootPublic = X509CertificateLoader.LoadCertificate(set.Root.RawData); // the certificate without its key
        WriteFile(Path.Combine(folder, SealedPasswordFile), sealer.Seal(System.Text.Encoding.ASCII.GetBytes(password), PasswordPurpose), OwnerOnlyFile);
        WriteFile(Path.Combine(folder, IssuerFile + ".p12"), Pkcs12([set.Issuer, rootPublic], password), OwnerOnlyFile);
        WriteFile(Path.Combine(folder, TsaFile + ".p12"), Pkcs12([set.Tsa, rootPublic], password), OwnerOnlyFile);
        WriteFile(Path.Combine(folder, RootFile + ".pem"), Pem(rootPublic), OwnerOnlyFile);
        WriteFile(Path.Combine(folder, IssuerFile + ".pem"), Pem(set.Issuer), OwnerOnlyFile);
        WriteFile(Path.Combine(folder, TsaFile + ".pem"), Pem(set.Tsa), OwnerOnlyFile);
    }

    private static NewKeys NewSet()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);

        using var rootKey = RSA.Create(3072);
        var rootRequest = new CertificateRequest(Name(RootCaCommonName), rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(now, now.AddYears(20));

        // EKU documentSigning (RFC 9336) says what the key is for; emailProtection is there too because poppler
        // (pdfsig, NSS underneath) checks a PDF signer as an S/MIME signer and calls a chain with documentSigning
        // alone "Unknown issue with Certificate" (poppler 22.12, checked by PdfSigTests). Not critical, so a
        // verifier that knows neither still accepts the certificate.
        using var issuerKey = RSA.Create(2048);
        var issuerRequest = new CertificateRequest(Name(IssuerCommonName), issuerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddLeafExtensions(issuerRequest, root, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, [Oids.DocumentSigning, Oids.EmailProtection], ekuCritical: false);
        using var issuerPublic = issuerRequest.Create(root, now, now.AddYears(10), SerialNumber());
        var issuer = issuerPublic.CopyWithPrivateKey(issuerKey);

        using var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tsaRequest = new CertificateRequest(Name(TsaCommonName), tsaKey, HashAlgorithmName.SHA256);
        // RFC 3161 2.3: a TSA certificate has exactly one extended key usage, id-kp-timeStamping, marked critical.
        AddLeafExtensions(tsaRequest, root, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, [Oids.TimeStamping], ekuCritical: true);
        // The root's RSA key signs the TSA's EC key, so the request needs an explicit RSA signature generator.
        using var tsaPublic = tsaRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1), now, now.AddYears(10), SerialNumber());
        var tsa = tsaPublic.CopyWithPrivateKey(tsaKey);

        return new NewKeys(root, issuer, tsa);
    }

    private static X500DistinguishedName Name(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCountryOrRegion("ID");
        name.AddOrganizationName(Organisation);
        name.AddCommonName(commonName);
        return name.Build();
    }

    private static void AddLeafExtensions(CertificateRequest request, X509Certificate2 issuer, X509KeyUsageFlags usage, string[] ekus, bool ekuCritical)
    {
        var usages = new OidCollection();
        foreach (var eku in ekus) usages.Add(new Oid(eku));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, ekuCritical));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
    }

    /// <summary>A positive 16-byte serial number: random, so two installations never issue the same one.</summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static byte[] Pkcs12(X509Certificate2[] certificates, string password) =>
        new X509Certificate2Collection(certificates).ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);

    private static byte[] Pem(X509Certificate2 certificate) =>
        System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n");

    /// <summary>Writes and flushes to disk before the folder is renamed into place, so a crash cannot leave a published set with empty files.</summary>
    private static void WriteFile(string path, byte[] content, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, OwnerOnlyFolder);
    }

    /// <summary>Temporary folders of processes that died while creating the set; anything older than an hour is abandoned.</summary>
    private static void RemoveAbandonedAttempts(string keys)
    {
        foreach (var dir in Directory.EnumerateDirectories(keys, $".{FolderName}-*.tmp"))
        {
            try
            {
                if (Directory.GetCreationTimeUtc(dir) < DateTime.UtcNow.AddHours(-1)) Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Another process is removing it too.
            }
        }
    }

    private ECDsa TimestampSignerKey() =>
        TimestampSigner.Certificate.GetECDsaPrivateKey() ?? throw new InvalidDataException("the development TSA certificate has no ECDSA key.");

    public void Dispose()
    {
        Signer.Dispose();
        TimestampSigner.Dispose();
        RootCertificate.Dispose();
    }
}
