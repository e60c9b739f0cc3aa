namespace Meterai.Core.Identity;

/// <summary>A one-time code on its way to an applicant.</summary>
public sealed record OneTimeCodeMessage(ContactAddress To, string Code, CodePurpose Purpose, DateTimeOffset ExpiresAt);

/// <summary>What an <see cref="AccountNotice"/> tells an address's owner.</summary>
public enum AccountNoticeKind : short
{
    /// <summary>Someone tried to register this address, which already has an account (no code: nothing to confirm).</summary>
    RegistrationAttempt = 1,
}

/// <summary>A message to an address's owner that carries no code.</summary>
public sealed record AccountNotice(ContactAddress To, AccountNoticeKind Kind, DateTimeOffset At);

/// <summary>
/// Delivers one-time codes and account notices (e-mail or SMS gateway in production). The development sender keeps
/// them where a developer can read them; tests register one that records them.
/// </summary>
public interface IOneTimeCodeSender
{
    Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default);

    Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default);
}
