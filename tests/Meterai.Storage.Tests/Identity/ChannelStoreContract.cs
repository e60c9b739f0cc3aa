using Meterai.Core.Channels;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Identity;

/// <summary>What every <see cref="IChannelStore"/> does, on SQLite and PostgreSQL.</summary>
public abstract class ChannelStoreContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2024, 9, 2, 8, 0, 0, TimeSpan.Zero);

    private static Channel NewChannel(long fee = 2500) => new(LedgerId.New(), "loket-" + Guid.NewGuid().ToString("N")[..10], "Loket Meterai", fee, ChannelStatus.Active, T0);

    [Fact]
    public async Task The_direct_channel_exists_from_the_start()
    {
        await using var db = await backend.OpenAsync();
        var direct = await db.Channels.GetAsync(Channel.DirectId, Ct);
        Assert.Equal((Channel.DirectCode, 0L, Channel.FaceValue), (direct!.Code, direct.ServiceFee, direct.PricePerStamp));
    }

    [Fact]
    public async Task Creating_a_channel_again_is_a_replay_and_another_channel_cannot_take_its_code()
    {
        await using var db = await backend.OpenAsync();
        var channel = NewChannel();
        var created = await db.Channels.CreateAsync(channel, Ct);
        Assert.Equal(channel, created.Value);
        Assert.Equal(12_500, created.Value.PricePerStamp);
        Assert.Equal(channel.Id, (await db.Channels.CreateAsync(channel with { Id = LedgerId.New() }, Ct)).Value.Id);
        Assert.Equal(IdentityErrors.ChannelCodeTaken, (await db.Channels.CreateAsync(channel with { Id = LedgerId.New(), ServiceFee = 1 }, Ct)).Error?.Code);
        Assert.Contains(await db.Channels.ListAsync(Ct), c => c.Id == channel.Id);

        var updated = await db.Channels.UpdateAsync(channel.Id, null, 3000, ChannelStatus.Suspended, Ct);
        Assert.Equal((channel.Name, 3000L, ChannelStatus.Suspended), (updated.Value.Name, updated.Value.ServiceFee, updated.Value.Status));
        Assert.Equal(IdentityErrors.ChannelNotFound, (await db.Channels.UpdateAsync(LedgerId.New(), "x", null, null, Ct)).Error?.Code);
        Assert.Contains(channel.Id, (await db.Channels.RevocationsAsync(T0, Ct)).SuspendedChannels);
    }

    [Fact]
    public async Task Api_keys_are_found_by_prefix_listed_per_channel_and_revoked_once()
    {
        await using var db = await backend.OpenAsync();
        var channel = (await db.Channels.CreateAsync(NewChannel(), Ct)).Value;
        var other = (await db.Channels.CreateAsync(NewChannel(), Ct)).Value;
        var (key, prefix, hash) = ApiKeySecret.Generate();
        var record = new ApiKey(LedgerId.New(), channel.Id, prefix, hash, "kasir 1", T0, null);
        await db.Channels.CreateApiKeyAsync(record, Ct);
        var (_, prefix2, hash2) = ApiKeySecret.Generate();
        await db.Channels.CreateApiKeyAsync(record with { Id = LedgerId.New(), Prefix = prefix2, SecretSha256 = hash2, Name = "kasir 2" }, Ct);

        var found = await db.Channels.FindApiKeyByPrefixAsync(ApiKeySecret.PrefixOf(key)!, Ct);
        Assert.True(ApiKeySecret.Matches(key, found!.SecretSha256));
        Assert.False(ApiKeySecret.Matches(key + "x", found.SecretSha256));
        Assert.Equal(["kasir 1", "kasir 2"], (await db.Channels.ListApiKeysAsync(channel.Id, Ct)).Select(k => k.Name));
        Assert.Empty(await db.Channels.ListApiKeysAsync(other.Id, Ct));

        Assert.Equal(IdentityErrors.ApiKeyNotFound, (await db.Channels.RevokeApiKeyAsync(other.Id, record.Id, T0, Ct)).Error?.Code);
        Assert.DoesNotContain(record.Id, (await db.Channels.RevocationsAsync(T0, Ct)).RevokedApiKeys);
        var revoked = await db.Channels.RevokeApiKeyAsync(channel.Id, record.Id, T0.AddMinutes(5), Ct);
        Assert.Equal(T0.AddMinutes(5), revoked.Value.RevokedAt);
        Assert.Equal(T0.AddMinutes(5), (await db.Channels.RevokeApiKeyAsync(channel.Id, record.Id, T0.AddMinutes(9), Ct)).Value.RevokedAt);
        Assert.Contains(record.Id, (await db.Channels.RevocationsAsync(T0.AddMinutes(5), Ct)).RevokedApiKeys);
        Assert.DoesNotContain(record.Id, (await db.Channels.RevocationsAsync(T0.AddMinutes(6), Ct)).RevokedApiKeys);
    }
}

public sealed class SqliteChannelStoreTests(SqliteBackend backend) : ChannelStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresChannelStoreTests(PostgresBackend backend) : ChannelStoreContract(backend), IClassFixture<PostgresBackend>;
