using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// The development sender: writes each one-time code to the log instead of sending an e-mail or SMS. Replace it
/// (register another <see cref="IOneTimeCodeSender"/>) wherever real people register.
/// </summary>
internal sealed class LoggingOneTimeCodeSender(ILogger<LoggingOneTimeCodeSender> logger) : IOneTimeCodeSender
{
    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default)
    {
        logger.LogWarning("development one-time code sender: {purpose} code {code} for {destination}, valid until {expires_at:O} (not sent: configure a real sender)",
            message.Purpose, message.Code, message.To.Value, message.ExpiresAt);
        return Task.CompletedTask;
    }

    public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default)
    {
        logger.LogWarning("development one-time code sender: notice {kind} for {destination} (not sent: configure a real sender)", notice.Kind, notice.To.Value);
        return Task.CompletedTask;
    }
}
