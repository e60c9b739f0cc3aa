using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.TestSupport;
using MimeKit;

namespace Meterai.Server.Tests.Messaging;

/// <summary>
/// A real SMTP server on loopback: Debian's aiosmtpd (python3-aiosmtpd, installed by scripts/test.sh) requiring
/// STARTTLS with a certificate made here and AUTH LOGIN/PLAIN with one user, keeping each message it accepts as a
/// file. Stops when disposed.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    public const string User = "meterai-relay";
    public const string Password = "relay-password-1";

    private const string Script = """
        import os, ssl, sys, time
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword
        port, out, cert, key, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
        class Keep:
            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(out, "%d.eml" % time.time_ns())
                with open(name + ".part", "wb") as f:
                    f.write(envelope.original_content)
                os.rename(name + ".part", name)
                return "250 OK"
        def check(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
            return AuthResult(success=ok, handled=False)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        c = Controller(Keep(), hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True,
                       authenticator=check, auth_required=True, auth_require_tls=True)
        c.start()
        print("ready", flush=True)
        sys.stdin.read()
        c.stop()
        """;

    private readonly Process _process;

    private LocalSmtpServer(Process process, int port, string folder, string certificatePem)
    {
        _process = process;
        Port = port;
        Folder = folder;
        CertificatePath = certificatePem;
    }

    public int Port { get; }

    /// <summary>Where accepted messages land (one .eml each).</summary>
    public string Folder { get; }

    /// <summary>The server's self-signed certificate (PEM), for Messaging:Smtp:TrustedCertificateFile.</summary>
    public string CertificatePath { get; }

    public static async Task<LocalSmtpServer> StartAsync()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || ExternalTool.Run(python, ["-c", "import aiosmtpd"]).ExitCode != 0)
        {
            if (TestEnvironment.IsCi) throw new InvalidOperationException("python3-aiosmtpd is missing (scripts/test.sh installs it)");
            Assert.Skip("python3-aiosmtpd is not installed (scripts/test.sh installs it)");
        }

        var folder = Directory.CreateTempSubdirectory("meterai-smtp-").FullName;
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        var (cert, key) = WriteCertificate(folder);
        var script = Path.Combine(folder, "smtp_server.py");
        await File.WriteAllTextAsync(script, Script);
        var port = FreePort();
        var psi = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), mail, cert, key, User, Password }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var ready = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        if (ready != "ready") throw new InvalidOperationException("aiosmtpd did not start: " + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        return new LocalSmtpServer(process, port, mail, cert);
    }

    /// <summary>The messages accepted so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    /// <summary>Configuration of a node that sends through this server.</summary>
    public string[] Settings(string password = Password) =>
    [
        "Messaging:Smtp:Host=127.0.0.1",
        $"Messaging:Smtp:Port={Port}",
        "Messaging:Smtp:Security=starttls",
        $"Messaging:Smtp:Username={User}",
        $"Messaging:Smtp:Password={password}",
        "Messaging:Smtp:From=Meterai <kode@meterai.test>",
        $"Messaging:Smtp:TrustedCertificateFile={CertificatePath}",
    ];

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static (string Cert, string Key) WriteCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(folder, "smtp.pem");
        var keyPath = Path.Combine(folder, "smtp.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
