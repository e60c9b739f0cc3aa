using System.Collections.Concurrent;
using Meterai.Core.Identity;

namespace Meterai.TestSupport;

/// <summary>Keeps every one-time code "sent", so a test can type it in like the applicant would.</summary>
public sealed class RecordingCodeSender : IOneTimeCodeSender
{
    private readonly ConcurrentQueue<OneTimeCodeMessage> _sent = new();

    private readonly ConcurrentQueue<AccountNotice> _notices = new();

    public IReadOnlyCollection<OneTimeCodeMessage> Sent => _sent;

    public IReadOnlyCollection<AccountNotice> Notices => _notices;

    public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default)
    {
        _notices.Enqueue(notice);
        return Task.CompletedTask;
    }

    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>The last code sent to <paramref name="destination"/>.</summary>
    public string LastCodeFor(string destination) =>
        _sent.LastOrDefault(m => m.To.Value == destination)?.Code ?? throw new InvalidOperationException($"no code was sent to {destination}");
}
