namespace Meterai.Server.Stamping;

/// <summary>
/// Test-only crash points: <c>Testing:CrashAfter=reserve</c> (the stamp's quota and serial are reserved),
/// <c>output</c> (the stamped file is published, the transfer not yet posted) or <c>post</c> (posted, serial not yet
/// bound: only on the step-by-step finish, which follows a closing that did not complete) makes the process die on the spot (<see cref="Environment.FailFast(string)"/>: no finally blocks, no
/// disposal), as a power cut or SIGKILL would, so that the crash-recovery tests are deterministic. Unset in production.
/// </summary>
public sealed class CrashPoints(IConfiguration configuration)
{
    private readonly string? _after = configuration["Testing:CrashAfter"];

    public void Hit(string point)
    {
        if (_after is not null && string.Equals(_after, point, StringComparison.Ordinal)) Environment.FailFast($"Testing:CrashAfter={point}: crashing on purpose");
    }
}
