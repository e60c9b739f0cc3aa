using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>What a one-time code proves. Stored as a small integer; values never change.</summary>
public enum CodePurpose : short
{
    /// <summary>The applicant owns the e-mail address or phone number they registered with.</summary>
    Registration = 1,

    /// <summary>Second step of a login, after the password.</summary>
    Login = 2,
}

/// <summary>
/// A one-time code sent to an applicant, as stored: only a hash of the code (keyed by the challenge id, so equal
/// codes of two challenges hash differently), with its expiry and the attempts made against it.
/// </summary>
public sealed record CodeChallenge(
    UInt128 Id,
    UInt128 ApplicantId,
    CodePurpose Purpose,
    byte[] CodeHash,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ConsumedAt,
    DateTimeOffset CreatedAt);

/// <summary>The rules of one-time codes: six digits, short expiry, few attempts, compared in constant time.</summary>
public static class OneTimeCode
{
    public const int Digits = 6;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);
    public const int DefaultMaxAttempts = 5;

    /// <summary>A fresh code from the CSPRNG, zero-padded ("004217").</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static CodeChallenge NewChallenge(UInt128 id, UInt128 applicantId, CodePurpose purpose, string code, DateTimeOffset now, TimeSpan? lifetime = null, int maxAttempts = DefaultMaxAttempts) =>
        new(id, applicantId, purpose, HashCode(id, code), 0, maxAttempts, now + (lifetime ?? DefaultLifetime), null, now);

    public static byte[] HashCode(UInt128 challengeId, string code)
    {
        Span<byte> key = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(key, challengeId);
        return HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(code));
    }

    /// <summary>Whether a syntactically valid code (exactly six digits) was typed.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: Digits } && code.All(char.IsAsciiDigit);

    /// <summary>
    /// Why a challenge cannot take another attempt at <paramref name="now"/> (used, expired, out of attempts), or null.
    /// Checked by the store before it counts the attempt, under the row's lock.
    /// </summary>
    public static Error? RefuseAttempt(CodeChallenge c, DateTimeOffset now)
    {
        if (c.ConsumedAt is not null) return new Error(IdentityErrors.CodeAlreadyUsed, "this code was already used: ask for a new one");
        if (now >= c.ExpiresAt) return new Error(IdentityErrors.CodeExpired, "the code has expired: ask for a new one");
        if (c.Attempts >= c.MaxAttempts) return new Error(IdentityErrors.CodeAttemptsExhausted, "too many wrong codes: ask for a new one");
        return null;
    }

    /// <summary>Constant-time comparison of a typed code with the challenge's stored hash.</summary>
    public static bool Matches(CodeChallenge c, string code) =>
        IsWellFormed(code) && CryptographicOperations.FixedTimeEquals(HashCode(c.Id, code), c.CodeHash);
}
