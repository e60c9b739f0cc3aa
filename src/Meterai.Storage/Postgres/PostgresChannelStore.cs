using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresChannelStore(NpgsqlDataSource ds) : IChannelStore
{
    private const string Columns = "id, code, name, service_fee, status, created_at";
    private const string KeyColumns = "id, channel_id, prefix, secret_sha256, name, created_at, revoked_at";

    public async Task<Result<Channel>> CreateAsync(Channel channel, CancellationToken cancellationToken = default)
    {
        await Pg.ExecuteAsync(ds, $"INSERT INTO channels ({Columns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING", cancellationToken,
            Pg.Id(channel.Id), Pg.Text(channel.Code), Pg.Text(channel.Name), Pg.Long(channel.ServiceFee), Pg.Short((short)channel.Status),
            Pg.Time(channel.CreatedAt)).ConfigureAwait(false);
        var stored = await Pg.FirstAsync(ds, $"SELECT {Columns} FROM channels WHERE code = $1", Read, cancellationToken, Pg.Text(channel.Code)).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("a channel vanished after it was created");
        return ChannelRules.SameRequest(stored, channel) ? stored : new Error(IdentityErrors.ChannelCodeTaken, $"another channel already has the code {channel.Code}");
    }

    public Task<Channel?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM channels WHERE id = $1", Read, cancellationToken, Pg.Id(id));

    public async Task<IReadOnlyList<Channel>> ListAsync(CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {Columns} FROM channels ORDER BY code", Read, cancellationToken).ConfigureAwait(false);

    public async Task<Result<Channel>> UpdateAsync(UInt128 id, string? name, long? serviceFee, ChannelStatus? status, CancellationToken cancellationToken = default)
    {
        var updated = await Pg.FirstAsync(ds, $"""
            UPDATE channels SET name = COALESCE($2, name), service_fee = COALESCE($3, service_fee), status = COALESCE($4, status)
            WHERE id = $1 RETURNING {Columns}
            """, Read, cancellationToken, Pg.Id(id), Pg.Text(name), Pg.NullableLong(serviceFee), Pg.NullableShort((short?)status)).ConfigureAwait(false);
        return updated is null ? new Error(IdentityErrors.ChannelNotFound, "no such channel") : updated;
    }

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, $"INSERT INTO api_keys ({KeyColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)", cancellationToken,
            Pg.Id(key.Id), Pg.Id(key.ChannelId), Pg.Text(key.Prefix), Pg.Bytes(key.SecretSha256), Pg.Text(key.Name), Pg.Time(key.CreatedAt), Pg.Time(key.RevokedAt));

    public Task<ApiKey?> FindApiKeyByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {KeyColumns} FROM api_keys WHERE prefix = $1", ReadKey, cancellationToken, Pg.Text(prefix));

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {KeyColumns} FROM api_keys WHERE channel_id = $1 ORDER BY created_at, id", ReadKey, cancellationToken, Pg.Id(channelId))
            .ConfigureAwait(false);

    public async Task<Result<ApiKey>> RevokeApiKeyAsync(UInt128 channelId, UInt128 keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var key = await Pg.FirstAsync(ds, $"""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND channel_id = $2 RETURNING {KeyColumns}
            """, ReadKey, cancellationToken, Pg.Id(keyId), Pg.Id(channelId), Pg.Time(at)).ConfigureAwait(false);
        return key is null ? new Error(IdentityErrors.ApiKeyNotFound, "the channel has no such API key") : key;
    }

    public async Task<AccessRevocations> RevocationsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var conn = await ds.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var keys = await Pg.QueryAsync(conn, null, "SELECT id FROM api_keys WHERE revoked_at >= $1", r => r.GetId(0), cancellationToken, Pg.Time(since))
            .ConfigureAwait(false);
        var channels = await Pg.QueryAsync(conn, null, "SELECT id FROM channels WHERE status = 2", r => r.GetId(0), cancellationToken).ConfigureAwait(false);
        return new AccessRevocations(keys.ToHashSet(), channels.ToHashSet());
    }

    private static Channel Read(NpgsqlDataReader r) => new(r.GetId(0), r.GetString(1), r.GetString(2), r.GetInt64(3), (ChannelStatus)r.GetInt16(4), r.GetTime(5));

    private static ApiKey ReadKey(NpgsqlDataReader r) =>
        new(r.GetId(0), r.GetId(1), r.GetString(2), r.GetFieldValue<byte[]>(3), r.GetString(4), r.GetTime(5), r.GetTimeOrNull(6));
}
