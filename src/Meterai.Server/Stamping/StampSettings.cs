namespace Meterai.Server.Stamping;

/// <summary>
/// Configuration of stamping (<c>Stamping:*</c>): <c>LeaseSeconds</c> (10: how long a node's claim on a stamp in progress
/// lasts before another may take over), <c>ReservationMinutes</c> (15: the ledger reservation's timeout for a synchronous
/// stamp), <c>JobReservationHours</c> (24: for a queued job), <c>FileRetentionHours</c> (72: stamped files stay
/// downloadable, then are purged; the registry keeps serial ↔ SHA-256 forever), <c>InProgressWaitSeconds</c> (5: how long
/// a retry waits for the same stamp running elsewhere before 409 <c>stamp_in_progress</c>), <c>RecoveryGraceSeconds</c>
/// (60: how long after its lease ended an interrupted stamp waits for its client's retry before the recovery worker
/// finishes or voids it), <c>AsyncThresholdBytes</c> (5 MiB: larger files become jobs), <c>JobMaxRuns</c> (5),
/// <c>JobConcurrency</c> (1 per node), <c>MemoryUploadBytes</c> (1 MiB, <see cref="UploadReader"/>).
/// </summary>
public sealed record StampSettings
{
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Reservation { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan JobReservation { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan FileRetention { get; init; } = TimeSpan.FromHours(72);

    public TimeSpan InProgressWait { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RecoveryGrace { get; init; } = TimeSpan.FromSeconds(60);

    public long AsyncThresholdBytes { get; init; } = 5L * 1024 * 1024;

    public int JobMaxRuns { get; init; } = 5;

    public int JobConcurrency { get; init; } = 1;

    public static StampSettings Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Stamping");
        return new StampSettings
        {
            Lease = TimeSpan.FromSeconds(s.GetValue("LeaseSeconds", 10.0)),
            Reservation = TimeSpan.FromMinutes(s.GetValue("ReservationMinutes", 15.0)),
            JobReservation = TimeSpan.FromHours(s.GetValue("JobReservationHours", 24.0)),
            FileRetention = TimeSpan.FromHours(s.GetValue("FileRetentionHours", 72.0)),
            InProgressWait = TimeSpan.FromSeconds(s.GetValue("InProgressWaitSeconds", 5.0)),
            RecoveryGrace = TimeSpan.FromSeconds(s.GetValue("RecoveryGraceSeconds", 60.0)),
            AsyncThresholdBytes = s.GetValue("AsyncThresholdBytes", 5L * 1024 * 1024),
            JobMaxRuns = s.GetValue("JobMaxRuns", 5),
            JobConcurrency = Math.Max(1, s.GetValue("JobConcurrency", 1)),
        };
    }
}
