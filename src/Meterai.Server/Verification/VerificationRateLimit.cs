using Meterai.Server.Api;

namespace Meterai.Server.Verification;

/// <summary>
/// The per-client rate of verifications (<c>Verification:PerClientPerMinute</c>), keyed by
/// <see cref="ClientAddress"/> and counted before the upload is read (<see cref="PerClientRateLimit"/>).
/// </summary>
public sealed class VerificationRateLimit(VerificationSettings settings) : PerClientRateLimit(settings.PerClientPerMinute);
