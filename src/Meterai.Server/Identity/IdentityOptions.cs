using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// Configuration of identities and access (<c>Identity:*</c>):
/// <c>AccessTokenMinutes</c> (15; also the longest lifetime a presented token may have), <c>PasswordIterations</c>
/// (210000), <c>CodeMinutes</c> (5), <c>CodeMaxAttempts</c> (5), <c>CodesPerAddress</c> (10), <c>CodesPerClient</c>
/// (300), <c>CodeLimitWindowMinutes</c> (60), <c>LoginFreeFailures</c> (3), <c>LoginFirstDelaySeconds</c> (1),
/// <c>LoginMaxDelaySeconds</c> (900), <c>LoginFailureMemoryHours</c> (24), <c>RevocationRefreshSeconds</c> (2),
/// <c>KeyRefreshSeconds</c> (30), <c>KeyActivationSeconds</c> (90), <c>HousekeepingMinutes</c> (10), and optionally
/// <c>TokenSigningKey</c> (base64, ≥ 32 bytes) with <c>TokenSigningKeyId</c> to sign with a configured key instead of
/// the database's.
/// </summary>
public sealed record IdentityOptions
{
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan RevocationRefresh { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan KeyRefresh { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A rotated key signs only once it is this old: by then every node has loaded it and accepts its tokens.</summary>
    public TimeSpan KeyActivation { get; init; } = TimeSpan.FromSeconds(90);

    public TokenSigningKey? ConfiguredKey { get; init; }

    /// <summary>How often a node deletes expired registrations, challenges, counters and throttle rows.</summary>
    public TimeSpan Housekeeping { get; init; } = TimeSpan.FromMinutes(10);

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
            Housekeeping = TimeSpan.FromMinutes(Positive(s, "HousekeepingMinutes", 10.0)),
            Settings = new IdentitySettings
            {
                PasswordIterations = s.GetValue("PasswordIterations", PasswordHasher.DefaultIterations),
                CodeLifetime = TimeSpan.FromMinutes(s.GetValue("CodeMinutes", OneTimeCode.DefaultLifetime.TotalMinutes)),
                CodeMaxAttempts = s.GetValue("CodeMaxAttempts", OneTimeCode.DefaultMaxAttempts),
                CodeLimits = new CodeLimitPolicy((int)Positive(s, "CodesPerAddress", CodeLimitPolicy.Default.PerAddress), (int)Positive(s, "CodesPerClient", CodeLimitPolicy.Default.PerClient),
                    TimeSpan.FromMinutes(Positive(s, "CodeLimitWindowMinutes", CodeLimitPolicy.Default.Window.TotalMinutes))),
                LoginThrottle = new LoginThrottlePolicy((int)AtLeastZero(s, "LoginFreeFailures", LoginThrottlePolicy.Default.FreeFailures),
                    TimeSpan.FromSeconds(Positive(s, "LoginFirstDelaySeconds", LoginThrottlePolicy.Default.FirstDelay.TotalSeconds)),
                    TimeSpan.FromSeconds(Positive(s, "LoginMaxDelaySeconds", LoginThrottlePolicy.Default.MaxDelay.TotalSeconds)),
                    TimeSpan.FromHours(Positive(s, "LoginFailureMemoryHours", LoginThrottlePolicy.Default.Memory.TotalHours))),
            },
        };
    }

    private static double Positive(IConfigurationSection s, string key, double fallback)
    {
        var value = s.GetValue(key, fallback);
        return value > 0 ? value : throw new InvalidOperationException($"Identity:{key} must be greater than 0 (it is {value})");
    }

    private static double AtLeastZero(IConfigurationSection s, string key, double fallback)
    {
        var value = s.GetValue(key, fallback);
        return value >= 0 ? value : throw new InvalidOperationException($"Identity:{key} must be 0 or more (it is {value})");
    }
}
