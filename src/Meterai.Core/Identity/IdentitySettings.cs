namespace Meterai.Core.Identity;

/// <summary>The knobs of identities and access; the server reads them from <c>Identity:*</c>.</summary>
public sealed record IdentitySettings
{
    public int PasswordIterations { get; init; } = PasswordHasher.DefaultIterations;

    public TimeSpan CodeLifetime { get; init; } = OneTimeCode.DefaultLifetime;

    public int CodeMaxAttempts { get; init; } = OneTimeCode.DefaultMaxAttempts;

    public CodeLimitPolicy CodeLimits { get; init; } = CodeLimitPolicy.Default;

    public LoginThrottlePolicy LoginThrottle { get; init; } = LoginThrottlePolicy.Default;
}
