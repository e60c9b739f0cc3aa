using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;

namespace Meterai.Core.Channels;

/// <summary>A key just created: <see cref="Key"/> is shown to the caller once and stored nowhere.</summary>
public sealed record CreatedApiKey(ApiKey Record, string Key);

/// <summary>Channels' API keys: creation (the secret shown once), exchange for an access token, revocation.</summary>
public sealed class ChannelAccess(IChannelStore channels, IClock clock)
{
    public const int MaxKeysPerChannel = 20;

    public async Task<Result<CreatedApiKey>> CreateKeyAsync(UInt128 channelId, string? name, CancellationToken ct = default)
    {
        var label = string.IsNullOrWhiteSpace(name) ? "default" : name.Trim();
        if (label.Length > 100) return new Error("api_key_name_invalid", "an API key name has at most 100 characters");
        var channel = await channels.GetAsync(channelId, ct).ConfigureAwait(false);
        if (channel is null || channel.Id == Channel.DirectId) return new Error(IdentityErrors.ChannelNotFound, "no such channel");
        var existing = await channels.ListApiKeysAsync(channelId, ct).ConfigureAwait(false);
        if (existing.Count(k => !k.IsRevoked) >= MaxKeysPerChannel)
        {
            return new Error("api_key_limit_reached", $"a channel holds at most {MaxKeysPerChannel} active keys: revoke one first");
        }

        var (key, prefix, hash) = ApiKeySecret.Generate();
        var record = new ApiKey(LedgerId.New(clock), channelId, prefix, hash, label, clock.UtcNow, null);
        await channels.CreateApiKeyAsync(record, ct).ConfigureAwait(false);
        return new CreatedApiKey(record, key);
    }

    /// <summary>
    /// Checks a presented key. Errors: <c>api_key_invalid</c> (malformed, unknown or wrong secret: indistinguishable),
    /// <c>api_key_revoked</c>, <c>channel_suspended</c>.
    /// </summary>
    public async Task<Result<(Channel Channel, ApiKey Key)>> ExchangeAsync(string? presented, CancellationToken ct = default)
    {
        var prefix = ApiKeySecret.PrefixOf(presented);
        var key = prefix is null ? null : await channels.FindApiKeyByPrefixAsync(prefix, ct).ConfigureAwait(false);
        // The hash is computed even for an unknown prefix, so the answer takes the same time either way.
        var matches = ApiKeySecret.Matches(presented ?? "", key?.SecretSha256 ?? new byte[32]);
        if (key is null || !matches) return new Error(IdentityErrors.ApiKeyInvalid, "the API key is not valid");
        if (key.IsRevoked) return new Error(IdentityErrors.ApiKeyRevoked, "the API key was revoked");
        var channel = await channels.GetAsync(key.ChannelId, ct).ConfigureAwait(false);
        if (channel is null) return new Error(IdentityErrors.ApiKeyInvalid, "the API key is not valid");
        if (!channel.IsActive) return new Error(IdentityErrors.ChannelSuspended, "the channel is suspended");
        return (channel, key);
    }
}
