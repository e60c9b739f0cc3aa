using Meterai.Core.Common;

namespace Meterai.Core.Channels;

/// <summary>Channels and their API keys.</summary>
public interface IChannelStore
{
    /// <summary>
    /// Creates a channel. Creating the same code again with the same name and fee returns the existing channel
    /// (a retried request); with other values, error <c>channel_code_taken</c>.
    /// </summary>
    Task<Result<Channel>> CreateAsync(Channel channel, CancellationToken cancellationToken = default);

    Task<Channel?> GetAsync(UInt128 id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Channel>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes name, fee or status (null: keep). Error <c>channel_not_found</c>.</summary>
    Task<Result<Channel>> UpdateAsync(UInt128 id, string? name, long? serviceFee, ChannelStatus? status, CancellationToken cancellationToken = default);

    Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindApiKeyByPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(UInt128 channelId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of the channel; revoking again keeps the first time. Error <c>api_key_not_found</c>.</summary>
    Task<Result<ApiKey>> RevokeApiKeyAsync(UInt128 channelId, UInt128 keyId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// What must stop working now: keys revoked at or after <paramref name="since"/> (older revocations have outlived
    /// every token minted before them) and every suspended channel.
    /// </summary>
    Task<AccessRevocations> RevocationsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <summary>Revoked API keys and suspended channels, as the token check needs them.</summary>
public sealed record AccessRevocations(IReadOnlySet<UInt128> RevokedApiKeys, IReadOnlySet<UInt128> SuspendedChannels)
{
    public static readonly AccessRevocations None = new(new HashSet<UInt128>(), new HashSet<UInt128>());
}
