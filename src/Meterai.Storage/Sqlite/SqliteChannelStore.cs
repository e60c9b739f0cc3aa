using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteChannelStore(SqliteConnections db) : IChannelStore
{
    private const string Columns = "id, code, name, service_fee, status, created_at";
    private const string KeyColumns = "id, channel_id, prefix, secret_sha256, name, created_at, revoked_at";

    public async Task<Result<Channel>> CreateAsync(Channel channel, CancellationToken cancellationToken = default)
    {
        await Sq.ExecuteAsync(db, $"INSERT INTO channels ({Columns}) VALUES ($id, $c, $n, $f, $s, $t) ON CONFLICT (code) DO NOTHING", cancellationToken,
            ("$id", Sq.Id(channel.Id)), ("$c", channel.Code), ("$n", channel.Name), ("$f", channel.ServiceFee), ("$s", (short)channel.Status),
            ("$t", Sq.Time(channel.CreatedAt))).ConfigureAwait(false);
        var stored = await Sq.FirstAsync(db, $"SELECT {Columns} FROM channels WHERE code = $c", Read, cancellationToken, ("$c", channel.Code)).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("a channel vanished after it was created");
        return ChannelRules.SameRequest(stored, channel) ? stored : new Error(IdentityErrors.ChannelCodeTaken, $"another channel already has the code {channel.Code}");
    }

    public Task<Channel?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM channels WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id)));

    public async Task<IReadOnlyList<Channel>> ListAsync(CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {Columns} FROM channels ORDER BY code", Read, cancellationToken).ConfigureAwait(false);

    public Task<Result<Channel>> UpdateAsync(UInt128 id, string? name, long? serviceFee, ChannelStatus? status, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<Channel>>(async (conn, tx) =>
        {
            var updated = await Sq.FirstAsync(conn, tx, $"""
                UPDATE channels SET name = COALESCE($n, name), service_fee = COALESCE($f, service_fee), status = COALESCE($s, status)
                WHERE id = $id RETURNING {Columns}
                """, Read, cancellationToken, ("$id", Sq.Id(id)), ("$n", name), ("$f", serviceFee), ("$s", (short?)status)).ConfigureAwait(false);
            return updated is null ? new Error(IdentityErrors.ChannelNotFound, "no such channel") : updated;
        }, cancellationToken);

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, $"INSERT INTO api_keys ({KeyColumns}) VALUES ($id, $c, $p, $h, $n, $t, $r)", cancellationToken,
            ("$id", Sq.Id(key.Id)), ("$c", Sq.Id(key.ChannelId)), ("$p", key.Prefix), ("$h", key.SecretSha256), ("$n", key.Name),
            ("$t", Sq.Time(key.CreatedAt)), ("$r", Sq.Time(key.RevokedAt)));

    public Task<ApiKey?> FindApiKeyByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {KeyColumns} FROM api_keys WHERE prefix = $p", ReadKey, cancellationToken, ("$p", prefix));

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(UInt128 channelId, CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {KeyColumns} FROM api_keys WHERE channel_id = $c ORDER BY created_at, id", ReadKey, cancellationToken, ("$c", Sq.Id(channelId)))
            .ConfigureAwait(false);

    public Task<Result<ApiKey>> RevokeApiKeyAsync(UInt128 channelId, UInt128 keyId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<ApiKey>>(async (conn, tx) =>
        {
            var key = await Sq.FirstAsync(conn, tx, $"""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $t) WHERE id = $id AND channel_id = $c RETURNING {KeyColumns}
                """, ReadKey, cancellationToken, ("$id", Sq.Id(keyId)), ("$c", Sq.Id(channelId)), ("$t", Sq.Time(at))).ConfigureAwait(false);
            return key is null ? new Error(IdentityErrors.ApiKeyNotFound, "the channel has no such API key") : key;
        }, cancellationToken);

    public async Task<AccessRevocations> RevocationsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var conn = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var keys = await Sq.QueryAsync(conn, null, "SELECT id FROM api_keys WHERE revoked_at >= $s", r => r.GetId(0), cancellationToken, ("$s", Sq.Time(since)))
            .ConfigureAwait(false);
        var channels = await Sq.QueryAsync(conn, null, "SELECT id FROM channels WHERE status = 2", r => r.GetId(0), cancellationToken).ConfigureAwait(false);
        return new AccessRevocations(keys.ToHashSet(), channels.ToHashSet());
    }

    private static Channel Read(SqliteDataReader r) => new(r.GetId(0), r.GetString(1), r.GetString(2), r.GetInt64(3), (ChannelStatus)r.GetInt16(4), r.GetTime(5));

    private static ApiKey ReadKey(SqliteDataReader r) =>
        new(r.GetId(0), r.GetId(1), r.GetString(2), (byte[])r[3], r.GetString(4), r.GetTime(5), r.GetTimeOrNull(6));
}
