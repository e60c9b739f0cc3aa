using System.Collections.Concurrent;
using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Serials;

namespace Meterai.Server.Verification;

/// <summary>What anyone may learn about a serial: no personal data, only the stamp and its channel.</summary>
public sealed record SerialResponse(
    string Serial,
    string State,
    bool Valid,
    long Nominal,
    string Currency,
    DateTimeOffset? StampedAt,
    string? DocumentSha256,
    int? Page,
    string ChannelCode,
    string ChannelName,
    string VerifyUrl);

/// <summary>Looks serials up in the registry and names their channel (channel names cached for a minute: they rarely change).</summary>
public sealed class SerialLookup(ISerialStore serials, IChannelStore channels, Stamping.PublicAddress address, IClock clock)
{
    private readonly ConcurrentDictionary<UInt128, (Channel? Channel, DateTimeOffset Until)> _channels = new();

    public async Task<SerialResponse?> FindAsync(SerialNumber serial, CancellationToken ct)
    {
        var record = await serials.GetAsync(serial, ct);
        if (record is null) return null;
        var channel = await ChannelAsync(record.ChannelId, ct);
        return new SerialResponse(record.Serial.Value, record.State.ToString().ToLowerInvariant(), record.State == SerialState.Stamped, Channel.FaceValue, "IDR",
            record.StampedAt, record.DocumentSha256 is null ? null : Convert.ToHexStringLower(record.DocumentSha256), record.Page,
            channel?.Code ?? "unknown", channel?.Name ?? "unknown", VerifyAddress.For(address.BaseUrl, record.Serial));
    }

    private async Task<Channel?> ChannelAsync(UInt128 id, CancellationToken ct)
    {
        if (_channels.TryGetValue(id, out var cached) && cached.Until > clock.UtcNow) return cached.Channel;
        var channel = await channels.GetAsync(id, ct);
        _channels[id] = (channel, clock.UtcNow.AddMinutes(1));
        return channel;
    }
}
