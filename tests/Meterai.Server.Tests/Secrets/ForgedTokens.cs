using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Meterai.Server.Tests.Secrets;

/// <summary>What someone holding a candidate signing key does: takes a real token's claims and signs a fresh one.</summary>
internal static class ForgedTokens
{
    /// <summary>A new token (new jti, issued now, 10 minutes) with the claims of <paramref name="genuine"/>, signed with <paramref name="secret"/> under <paramref name="keyId"/>.</summary>
    public static string Sign(string genuine, string keyId, byte[] secret)
    {
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Decode(genuine.Split('.')[1]))!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>(claims.Select(c => KeyValuePair.Create(c.Key, (object)c.Value)))
        {
            ["iat"] = now,
            ["exp"] = now + 600,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        };
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT", kid = keyId }));
        var input = header + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return input + "." + Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>True when <paramref name="token"/>'s signature is HMAC-SHA256 under <paramref name="secret"/>.</summary>
    public static bool IsSignedWith(string token, byte[] secret)
    {
        var last = token.LastIndexOf('.');
        return Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(token[..last]))) == token[(last + 1)..];
    }

    public static string KeyIdOf(string token) => JsonDocument.Parse(Decode(token.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
