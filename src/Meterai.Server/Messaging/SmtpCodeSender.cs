using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using Meterai.Core.Identity;
using MimeKit;

namespace Meterai.Server.Messaging;

/// <summary>
/// Sends codes and notices to e-mail addresses through an SMTP server (MailKit), one connection per message: a
/// registration surge is bounded by the code limits long before it is by connection set-up. A server that refuses
/// or cannot be reached is a <see cref="CodeDeliveryException"/> (503 to the caller), never a code lost quietly.
/// </summary>
internal sealed class SmtpCodeSender : TextMessageSender
{
    private readonly SmtpOptions _options;
    private readonly X509Certificate2? _trusted;
    private readonly ILogger<SmtpCodeSender> _logger;

    public SmtpCodeSender(SmtpOptions options, ILogger<SmtpCodeSender> logger)
    {
        _options = options;
        _logger = logger;
        _trusted = options.TrustedCertificateFile is { } path ? X509CertificateLoader.LoadCertificateFromFile(path) : null;
    }

    protected override async Task SendTextAsync(ContactAddress to, MessageText text, CancellationToken ct)
    {
        if (to.Kind != ContactKind.Email) throw new CodeDeliveryException("the mail sender got a phone number");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(_options.From));
        mail.To.Add(MailboxAddress.Parse(to.Value));
        mail.Subject = text.Subject;
        mail.Body = new TextPart("plain") { Text = text.Body };
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        if (_trusted is not null) client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || IsTrusted(certificate);
        try
        {
            await client.ConnectAsync(_options.Host, _options.Port, _options.Security, ct).ConfigureAwait(false);
            if (_options.Username is { } user) await client.AuthenticateAsync(user, _options.Password ?? "", ct).ConfigureAwait(false);
            await client.SendAsync(mail, ct).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The server's words may quote the recipient: mask it before anything is logged or thrown.
            var why = $"{e.GetType().Name}: {e.Message}".Replace(to.Value, to.Masked(), StringComparison.OrdinalIgnoreCase);
            _logger.LogWarning("mail to {to} through {host}:{port} failed: {why}", to.Masked(), _options.Host, _options.Port, why);
            throw new CodeDeliveryException($"the mail server {_options.Host}:{_options.Port} did not take the message ({why})");
        }
    }

    private bool IsTrusted(X509Certificate? certificate) =>
        certificate is not null && _trusted is not null && certificate.GetCertHashString() == _trusted.GetCertHashString();
}
