namespace Meterai.Payments.Gateway;

/// <summary>Where the gateway is and how to talk to it.</summary>
/// <param name="BaseAddress">The gateway's API root, e.g. http://127.0.0.1:5090/ for `meterai paysim`.</param>
/// <param name="ServerKey">The merchant's server key: Basic-auth user name, and the secret notifications are signed with.</param>
public sealed record GatewayProviderOptions(Uri BaseAddress, string ServerKey)
{
    /// <summary>
    /// Longest wait for one call, connection and whole answer included. Past it the call ends with
    /// provider_unavailable: a buyer's request must never hang on a provider that stopped answering.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
