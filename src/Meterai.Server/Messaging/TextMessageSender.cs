using Meterai.Core.Identity;

namespace Meterai.Server.Messaging;

/// <summary>A sender that delivers a code or a notice as one text (<see cref="OneTimeCodeText"/>): mail and SMS alike.</summary>
internal abstract class TextMessageSender : IOneTimeCodeSender
{
    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default) =>
        SendTextAsync(message.To, OneTimeCodeText.For(message), cancellationToken);

    public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default) =>
        SendTextAsync(notice.To, OneTimeCodeText.For(notice), cancellationToken);

    protected abstract Task SendTextAsync(ContactAddress to, MessageText text, CancellationToken ct);
}
