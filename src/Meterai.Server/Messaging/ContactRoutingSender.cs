using Meterai.Core.Identity;

namespace Meterai.Server.Messaging;

/// <summary>E-mail addresses get mail, mobile numbers get an SMS; a kind of address with no sender configured is a delivery failure (503), not a silent drop.</summary>
internal sealed class ContactRoutingSender(IOneTimeCodeSender? mail, IOneTimeCodeSender? sms) : IOneTimeCodeSender
{
    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default) =>
        For(message.To).SendAsync(message, cancellationToken);

    public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default) =>
        For(notice.To).SendNoticeAsync(notice, cancellationToken);

    private IOneTimeCodeSender For(ContactAddress to) => to.Kind == ContactKind.Email
        ? mail ?? throw new CodeDeliveryException("no mail server is configured here (Messaging:Smtp): e-mail addresses cannot get codes")
        : sms ?? throw new CodeDeliveryException("no SMS gateway is configured here (Messaging:Sms): mobile numbers cannot get codes");
}
