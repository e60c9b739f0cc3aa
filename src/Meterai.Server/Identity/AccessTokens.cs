using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>An access token as handed to a client.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived access tokens, JWT-shaped (<c>base64url(header).base64url(payload).base64url(HMAC-SHA256)</c>, alg
/// HS256 only, key id in the header) so that standard tools can read them, made and checked with .NET's own crypto.
/// Payload: <c>sub</c>, <c>knd</c> (applicant, channel, operator), <c>chn</c>, <c>rol</c>, <c>akid</c> (a channel's API
/// key), <c>iat</c>, <c>exp</c>, <c>jti</c>.
/// </summary>
public sealed class AccessTokens(TokenKeyRing keys, IdentityOptions options, IClock clock)
{
    private const int MaxTokenLength = 4096;
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public IssuedToken Issue(Principal principal)
    {
        var key = keys.Current;
        var now = clock.UtcNow;
        var expires = now + options.AccessTokenLifetime;
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = key.KeyId }));

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(AccessTokenClaims.Subject, PublicId.Format(principal.Id));
            w.WriteString(AccessTokenClaims.Kind, principal.Kind.Name());
            if (principal.ChannelId != UInt128.Zero) w.WriteString(AccessTokenClaims.Channel, PublicId.Format(principal.ChannelId));
            if (principal.Roles.Count > 0)
            {
                w.WriteStartArray(AccessTokenClaims.Role);
                foreach (var r in principal.Roles) w.WriteStringValue(r);
                w.WriteEndArray();
            }

            if (principal.ApiKeyId != UInt128.Zero) w.WriteString(AccessTokenClaims.ApiKey, PublicId.Format(principal.ApiKeyId));
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            w.WriteEndObject();
        }

        var signingInput = header + "." + Encode(buffer.WrittenSpan);
        var signature = HMACSHA256.HashData(key.Secret, Encoding.ASCII.GetBytes(signingInput));
        return new IssuedToken(signingInput + "." + Encode(signature), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// Checks a token. Errors: <c>token_malformed</c>, <c>token_key_unknown</c>, <c>token_signature_invalid</c>,
    /// <c>token_expired</c>, <c>token_lifetime_exceeded</c>. The signature is checked (in constant time) before
    /// anything in the payload is believed. Whether the subject exists is the next check (<see cref="TokenSubjects"/>).
    /// </summary>
    public Result<(Principal Principal, DateTimeOffset ExpiresAt)> Validate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return Malformed();
        var first = token.IndexOf('.');
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.Length - 1 || token.IndexOf('.', second + 1) >= 0) return Malformed();

        string? kid;
        try
        {
            using var header = JsonDocument.Parse(Decode(token.AsSpan(0, first)));
            var h = header.RootElement;
            if (h.ValueKind != JsonValueKind.Object || !h.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256") return Malformed();
            kid = h.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return Malformed();
        }

        var secret = kid is null ? null : keys.Find(kid);
        if (secret is null) return new Error(IdentityErrors.TokenKeyUnknown, "the token was signed with a key this service does not know");
        byte[] presented;
        try
        {
            presented = Decode(token.AsSpan(second + 1));
        }
        catch (FormatException)
        {
            return Malformed();
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(token, 0, second), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented)) return new Error(IdentityErrors.TokenSignatureInvalid, "the token's signature does not verify");

        try
        {
            using var payload = JsonDocument.Parse(Decode(token.AsSpan(first + 1, second - first - 1)));
            var p = payload.RootElement;
            if (!PublicId.TryParse(Text(p, AccessTokenClaims.Subject), out var subject)) return Malformed();
            var kind = PrincipalKindNames.Parse(Text(p, AccessTokenClaims.Kind));
            if (kind is null || !p.TryGetProperty("exp", out var expElement) || !expElement.TryGetInt64(out var exp)) return Malformed();
            if (!p.TryGetProperty("iat", out var iatElement) || !iatElement.TryGetInt64(out var iat)) return Malformed();
            var channel = UInt128.Zero;
            if (Text(p, AccessTokenClaims.Channel) is { } c && !PublicId.TryParse(c, out channel)) return Malformed();
            var apiKey = UInt128.Zero;
            if (Text(p, AccessTokenClaims.ApiKey) is { } a && !PublicId.TryParse(a, out apiKey)) return Malformed();
            var roles = new List<string>();
            if (p.TryGetProperty(AccessTokenClaims.Role, out var r))
            {
                if (r.ValueKind != JsonValueKind.Array) return Malformed();
                foreach (var role in r.EnumerateArray())
                {
                    if (role.ValueKind != JsonValueKind.String) return Malformed();
                    roles.Add(role.GetString()!);
                }
            }

            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
            var now = clock.UtcNow;
            if (now > expiresAt + ClockSkew) return new Error(IdentityErrors.TokenExpired, "the access token has expired: get a new one");
            if (LifetimeRefusal(DateTimeOffset.FromUnixTimeSeconds(iat), expiresAt, now) is { } refused) return refused;
            return (new Principal(subject, kind.Value, channel, roles, apiKey), expiresAt);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentOutOfRangeException)
        {
            return Malformed();
        }
    }

    /// <summary>
    /// A token is believed for at most the configured lifetime, whatever it says: one that claims a longer life (exp −
    /// iat) or that has longer left to run (exp − now) was not made by this service, however good its signature, as
    /// a year-long token minted with a stolen key would be. Checked here, not only when tokens are issued.
    /// </summary>
    private Error? LifetimeRefusal(DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var longest = options.AccessTokenLifetime + ClockSkew;
        return expiresAt - issuedAt > longest || expiresAt - now > longest
            ? new Error(IdentityErrors.TokenLifetimeExceeded, $"the access token lives longer than this service's {options.AccessTokenLifetime.TotalMinutes:0.#} minutes: get a new one")
            : null;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Error Malformed() => new(IdentityErrors.TokenMalformed, "the access token is not well formed");

    private static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static byte[] Decode(ReadOnlySpan<char> text) => Base64Url.DecodeFromChars(text);
}
