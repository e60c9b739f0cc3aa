using Meterai.Pdf.Appearance;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Storage;

namespace Meterai.Server.Stamping;

/// <summary>
/// The issuer's signing key, the timestamping set-up and the stamping engine built on them, one per process.
/// Configuration: <c>Signing:Pkcs12Path</c> with <c>Signing:Pkcs12Password</c> or <c>Signing:Pkcs12PasswordFile</c> (the
/// issuer's key; default: the development issuer under <c>&lt;Database:DataDirectory&gt;/keys/development</c>, created on
/// first start without the root's private key, its PKCS#12 password sealed with the key-encryption key); <c>Signing:TrustedRootPath</c> (PEM of the root the issuer chains to, for verification; default the
/// development root); <c>Signing:Timestamp</c> = <c>inprocess</c> (default: the development TSA in this process, PAdES
/// B-T), <c>none</c> (B-B) or an http(s) URL of an RFC 3161 TSA (<c>Signing:TimestampMaxTokenBytes</c>, default 8192);
/// the QR code's <c>/v/{serial}</c> link starts with <see cref="PublicAddress"/> (<c>Stamping:PublicBaseUrl</c>).
/// Several nodes must sign with the same key: give them the same PKCS#12 file (or the same data folder).
/// </summary>
public sealed class IssuerKeys : IDisposable
{
    private readonly DevelopmentIssuer? _development;

    private readonly Lazy<StampEngine> _engine;

    public IssuerKeys(IConfiguration configuration, DatabaseOptions database, IClock clock, Meterai.Core.Secrets.SecretSealer sealer, PublicAddress address)
    {
        var section = configuration.GetSection("Signing");
        if (section["Pkcs12Path"] is { Length: > 0 } path)
        {
            var password = section["Pkcs12Password"] ?? (section["Pkcs12PasswordFile"] is { Length: > 0 } file ? File.ReadAllText(file).Trim() : "");
            var loaded = Pkcs12Signer.Load(path, password);
            if (!loaded.IsOk) throw new InvalidOperationException($"Signing:Pkcs12Path: {loaded.Error}");
            Signer = loaded.Value;
            TrustedRoot = section["TrustedRootPath"] is { Length: > 0 } root
                ? X509CertificateLoader.LoadCertificateFromFile(root)
                : Signer.Chain.LastOrDefault() ?? Signer.Certificate;
        }
        else
        {
            _development = DevelopmentIssuer.LoadOrCreate(database.DataDirectory, sealer);
            Signer = _development.Signer;
            TrustedRoot = section["TrustedRootPath"] is { Length: > 0 } root ? X509CertificateLoader.LoadCertificateFromFile(root) : _development.RootCertificate;
            TimestampAuthority = _development.CreateTimestampAuthority(clock);
        }

        var mode = section["Timestamp"] ?? "inprocess";
        ITimestampClient? tsa = mode switch
        {
            "none" => null,
            "inprocess" => TimestampAuthority is { } authority
                ? new InProcessTimestampClient(authority)
                : throw new InvalidOperationException("Signing:Timestamp=inprocess needs the development issuer's TSA; configure an http(s) TSA URL or none"),
            _ when Uri.TryCreate(mode, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" =>
                new HttpTimestampClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, url, section.GetValue("TimestampMaxTokenBytes", 8192)),
            _ => throw new InvalidOperationException($"Signing:Timestamp '{mode}' is not inprocess, none or an http(s) URL"),
        };
        // Built at the first stamp, not here: in Development without a public address the verify URL is the address
        // the server listens on, known only once it has bound (PublicationOnly: an early ask is not remembered).
        var emblem = LoadEmblem(configuration["Stamping:EmblemFile"]);
        _engine = new Lazy<StampEngine>(
            () => new StampEngine(new StampEngineOptions { PublicBaseUrl = address.BaseUrl, TimestampClient = tsa, Emblem = emblem }),
            LazyThreadSafetyMode.PublicationOnly);
        Profile = CadesSignature.For(Signer);
    }

    public ISigner Signer { get; }

    public CadesSignature Profile { get; }

    public StampEngine Engine => _engine.Value;

    /// <summary>The root the issuer's certificate chains to: what a verification trusts.</summary>
    public X509Certificate2 TrustedRoot { get; }

    /// <summary>This process's RFC 3161 authority (served at POST /tsa), when it has one.</summary>
    public TimestampAuthority? TimestampAuthority { get; }

    public void Dispose() => _development?.Dispose();

    /// <summary>
    /// The operator's emblem (<c>Stamping:EmblemFile</c>, an SVG of filled paths: see <see cref="EmblemSvg"/>), or the
    /// neutral ornament when none is configured. A file that is set but unreadable stops the start, rather than
    /// stamping without the emblem the operator asked for.
    /// </summary>
    private static StampEmblem LoadEmblem(string? file)
    {
        if (string.IsNullOrWhiteSpace(file)) return StampEmblem.Ornament;
        var parsed = EmblemSvg.Parse(File.ReadAllText(file));
        return parsed.IsOk ? parsed.Value : throw new InvalidOperationException($"Stamping:EmblemFile {file}: {parsed.Error.Message}");
    }
}
