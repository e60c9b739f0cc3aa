using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// Configuration of identities and access (<c>Identity:*</c>):
/// <c>AccessTokenMinutes</c> (15), <c>PasswordIterations</c> (210000), <c>CodeMinutes</c> (5), <c>CodeMaxAttempts</c> (5),
/// <c>LoginMaxFailures</c> (5), <c>LoginWindowMinutes</c> (15), <c>RevocationRefreshSeconds</c> (2),
/// <c>KeyRefreshSeconds</c> (30), <c>KeyActivationSeconds</c> (90), and optionally <c>TokenSigningKey</c> (base64,
/// ≥ 32 bytes) with <c>TokenSigningKeyId</c> to sign with a configured key instead of the database's.
/// </summary>
public sealed record IdentityOptions
{
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan RevocationRefresh { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan KeyRefresh { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A rotated key signs only once it is this old: by then every node has loaded it and accepts its tokens.</summary>
    public TimeSpan KeyActivation { get; init; } = TimeSpan.FromSeconds(90);

    public TokenSigningKey? ConfiguredKey { get; init; }

    public IdentitySettings Settings { get; init; } = new();

    public static IdentityOptions Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Identity");
        TokenSigningKey? configured = null;
        if (s["TokenSigningKey"] is { Length: > 0 } secret)
        {
            var bytes = Convert.FromBase64String(secret);
            if (bytes.Length < 32) throw new InvalidOperationException("Identity:TokenSigningKey must decode to at least 32 bytes");
            configured = new TokenSigningKey(s["TokenSigningKeyId"] is { Length: > 0 } id ? id : "configured", bytes, DateTimeOffset.UnixEpoch);
        }

        return new IdentityOptions
        {
            AccessTokenLifetime = TimeSpan.FromMinutes(s.GetValue("AccessTokenMinutes", 15.0)),
            RevocationRefresh = TimeSpan.FromSeconds(s.GetValue("RevocationRefreshSeconds", 2.0)),
            KeyRefresh = TimeSpan.FromSeconds(s.GetValue("KeyRefreshSeconds", 30.0)),
            KeyActivation = TimeSpan.FromSeconds(s.GetValue("KeyActivationSeconds", 90.0)),
            ConfiguredKey = configured,
            Settings = new IdentitySettings
            {
                PasswordIterations = s.GetValue("PasswordIterations", PasswordHasher.DefaultIterations),
                CodeLifetime = TimeSpan.FromMinutes(s.GetValue("CodeMinutes", OneTimeCode.DefaultLifetime.TotalMinutes)),
                CodeMaxAttempts = s.GetValue("CodeMaxAttempts", OneTimeCode.DefaultMaxAttempts),
                LoginThrottle = new LoginThrottlePolicy(s.GetValue("LoginMaxFailures", 5), TimeSpan.FromMinutes(s.GetValue("LoginWindowMinutes", 15.0))),
            },
        };
    }
}
