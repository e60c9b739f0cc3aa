using System.Collections.Concurrent;
using Meterai.Core.Identity;

namespace Meterai.Payments.Tests.Support;

/// <summary>Keeps every one-time code "sent", so a test can register an applicant like a person would.</summary>
public sealed class RecordingCodeSender : IOneTimeCodeSender
{
    private readonly ConcurrentQueue<OneTimeCodeMessage> _sent = new();

    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(message);
        return Task.CompletedTask;
    }

    public string LastCodeFor(string destination) =>
        _sent.LastOrDefault(m => m.To.Value == destination)?.Code ?? throw new InvalidOperationException($"no code was sent to {destination}");
}
