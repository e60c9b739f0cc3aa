using MailKit.Security;

namespace Meterai.Server.Messaging;

/// <summary>
/// <c>Messaging:Smtp:*</c>: <c>Host</c> (turns SMTP on), <c>Port</c> (587), <c>Security</c> (<c>starttls</c>, the
/// default: refuse a server that does not offer it; <c>ssl</c>: TLS from the first byte, port 465;
/// <c>starttls-when-available</c>; <c>none</c>: plain text, for a relay on the same host only), <c>Username</c> with
/// <c>Password</c> or <c>PasswordFile</c> (AUTH, only over TLS unless Security is none), <c>From</c> (required:
/// "Meterai &lt;kode@example.id&gt;"), <c>TrustedCertificateFile</c> (PEM of a server certificate to accept besides
/// the system's trust: a private relay's self-signed certificate), <c>TimeoutSeconds</c> (10).
/// </summary>
public sealed record SmtpOptions(string Host, int Port, SecureSocketOptions Security, string From, string? Username, string? Password, string? TrustedCertificateFile, TimeSpan Timeout)
{
    public static SmtpOptions? Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Messaging:Smtp");
        if (s["Host"] is not { Length: > 0 } host) return null;
        var security = (s["Security"] ?? "starttls").ToLowerInvariant() switch
        {
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" or "tls" => SecureSocketOptions.SslOnConnect,
            "starttls-when-available" => SecureSocketOptions.StartTlsWhenAvailable,
            "none" => SecureSocketOptions.None,
            var other => throw new InvalidOperationException($"Messaging:Smtp:Security '{other}' is not starttls, ssl, starttls-when-available or none"),
        };
        var from = s["From"] is { Length: > 0 } f ? f : throw new InvalidOperationException("Messaging:Smtp:From is required (the address codes come from)");
        if (!MimeKit.MailboxAddress.TryParse(from, out _)) throw new InvalidOperationException($"Messaging:Smtp:From '{from}' is not a mail address");
        var password = s["Password"] ?? (s["PasswordFile"] is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null);
        return new SmtpOptions(host, s.GetValue("Port", 587), security, from, s["Username"] is { Length: > 0 } u ? u : null, password,
            s["TrustedCertificateFile"] is { Length: > 0 } cert ? cert : null, TimeSpan.FromSeconds(s.GetValue("TimeoutSeconds", 10.0)));
    }
}
