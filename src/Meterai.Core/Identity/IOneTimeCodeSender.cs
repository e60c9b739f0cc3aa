namespace Meterai.Core.Identity;

/// <summary>A one-time code on its way to an applicant.</summary>
public sealed record OneTimeCodeMessage(ContactAddress To, string Code, CodePurpose Purpose, DateTimeOffset ExpiresAt);

/// <summary>
/// Delivers one-time codes (e-mail or SMS gateway in production). The development sender writes them to the log;
/// tests register one that records them.
/// </summary>
public interface IOneTimeCodeSender
{
    Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default);
}
