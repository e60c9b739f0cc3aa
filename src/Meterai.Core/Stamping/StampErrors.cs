namespace Meterai.Core.Stamping;

/// <summary>Stable error codes of stamping (besides the PDF engine's and the serial registry's).</summary>
public static class StampErrors
{
    public const string NotFound = "stamp_not_found";
    public const string InProgress = "stamp_in_progress";
    public const string NotCompleted = "stamp_not_completed";
    public const string FilePurged = "file_purged";
    public const string QuotaExhausted = "quota_exhausted";
    public const string Interrupted = "stamp_interrupted";
    public const string ReservationExpired = "reservation_expired";
    public const string JobFailed = "job_failed";
    public const string DocumentTypeUnknown = "document_type_unknown";
    public const string Busy = "stamping_busy";

    /// <summary>A caller (an applicant, a channel) has its share of a node's stamping in progress (issue 10, item 6).</summary>
    public const string TooManyInProgress = "too_many_stamps_in_progress";
}
