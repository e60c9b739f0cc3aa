using Meterai.Core.Identity;
using Meterai.Core.Stamping;
using Meterai.Server.Api;

namespace Meterai.Server.Stamping;

/// <summary>
/// Who may start a stamp on this node now, so that a surge sheds instead of queueing and no one caller can stop
/// stamping for the others (issue 10, item 6: 130 slow uploads from one caller once held every slot, and every stamp
/// answered 503). Three bounds, each counted on this node (several nodes each keep their own):
/// <list type="bullet">
/// <item>a caller's requests in progress, from before its upload is read until its answer: an applicant
/// <c>Stamping:MaxInFlightPerApplicant</c> (8), a channel <c>Stamping:MaxInFlightPerChannel</c> (96, a channel
/// stamps for many people); past it 429 <c>too_many_stamps_in_progress</c>. A channel's stamps for one of its
/// applicants also count against that applicant's bound once the upload has arrived.</item>
/// <item>uploads being read (<c>Stamping:MaxUploads</c>, 256: each may hold up to <c>Stamping:MemoryUploadBytes</c>);
/// past it 503 <c>stamping_busy</c> before the upload is read.</item>
/// <item>stamps being made, counted only once their upload has arrived (<c>Stamping:MaxInFlight</c>, 128): a slow
/// upload holds no stamping slot; past it 503 <c>stamping_busy</c>.</item>
/// </list>
/// 0 turns a bound off. A refused request wrote nothing, so its retry under the same Idempotency-Key is a first
/// attempt. Uploads slower than <c>Api:MinRequestBodyBytesPerSecond</c> are cut off by Kestrel (ApiConventions).
/// </summary>
public sealed class StampAdmission(IConfiguration configuration)
{
    private readonly KeyedCounter _callers = new();
    private int _uploads;
    private int _inFlight;

    public int Limit { get; } = Bound(configuration, "Stamping:MaxInFlight", 128);

    public int UploadLimit { get; } = Bound(configuration, "Stamping:MaxUploads", 256);

    public int PerApplicant { get; } = Bound(configuration, "Stamping:MaxInFlightPerApplicant", 8);

    public int PerChannel { get; } = Bound(configuration, "Stamping:MaxInFlightPerChannel", 96);

    /// <summary>How long a shed client is asked to wait (<c>Stamping:BusyRetryAfterSeconds</c>, default 2).</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Stamping:BusyRetryAfterSeconds", 2)));

    /// <summary>Stamps being made (their upload has arrived).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Uploads being read.</summary>
    public int Uploading => Volatile.Read(ref _uploads);

    /// <summary>The bound of a caller's requests in progress on this node.</summary>
    public int ShareOf(Principal caller) => caller.IsChannel ? PerChannel : PerApplicant;

    /// <summary>Admits one more request of <paramref name="caller"/> (then <see cref="ExitCaller"/> must follow), unless it has its share in progress.</summary>
    public Refusal? TryEnterCaller(Principal caller) =>
        _callers.TryEnter(caller.Id, ShareOf(caller)) ? null : caller.IsChannel ? Refusal.Channel : Refusal.Applicant;

    public void ExitCaller(Principal caller) => _callers.Exit(caller.Id, ShareOf(caller));

    /// <summary>Starts reading one upload (then <see cref="EndUpload"/> must follow), unless the node reads as many as it may.</summary>
    public bool TryStartUpload() => TryEnter(ref _uploads, UploadLimit);

    public void EndUpload() => Interlocked.Decrement(ref _uploads);

    /// <summary>
    /// Takes a stamping slot for an upload that has arrived (then <see cref="ExitStamping"/> with the same arguments):
    /// the node's, and the applicant's when a channel stamps for it. Null when admitted, else whose bound is full.
    /// </summary>
    public Refusal? TryEnterStamping(Principal caller, UInt128 applicantId)
    {
        var countsApplicant = caller.IsChannel;
        if (countsApplicant && !_callers.TryEnter(applicantId, PerApplicant)) return Refusal.Applicant;
        if (TryEnter(ref _inFlight, Limit)) return null;
        if (countsApplicant) _callers.Exit(applicantId, PerApplicant);
        return Refusal.Node;
    }

    public void ExitStamping(Principal caller, UInt128 applicantId)
    {
        Interlocked.Decrement(ref _inFlight);
        if (caller.IsChannel) _callers.Exit(applicantId, PerApplicant);
    }

    /// <summary>The answer to a refused request: 503 when the node is full, 429 when a caller has its share in progress.</summary>
    public IResult Refused(Refusal refusal) => ApiProblem.WithRetryAfter(refusal switch
    {
        Refusal.Node => ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, StampErrors.Busy,
            "this node is stamping as many documents as it can: nothing was charged; retry after the time in Retry-After with the same Idempotency-Key"),
        Refusal.Channel => CallerBusy($"this channel has {PerChannel} stamps in progress on this node"),
        _ => CallerBusy($"this applicant has {PerApplicant} stamps in progress on this node"),
    }, RetryAfter);

    public enum Refusal
    {
        /// <summary>The node is full: 503 stamping_busy.</summary>
        Node,

        /// <summary>The applicant (calling, or stamped for by its channel) has its share in progress: 429.</summary>
        Applicant,

        /// <summary>The calling channel has its share in progress: 429.</summary>
        Channel,
    }

    private static IResult CallerBusy(string what) => ApiProblem.Of(StatusCodes.Status429TooManyRequests, StampErrors.TooManyInProgress,
        what + ": wait for one to finish; nothing was charged; retry after the time in Retry-After with the same Idempotency-Key");

    private static bool TryEnter(ref int counter, int limit)
    {
        var now = Interlocked.Increment(ref counter);
        if (limit == 0 || now <= limit) return true;
        Interlocked.Decrement(ref counter);
        return false;
    }

    private static int Bound(IConfiguration configuration, string key, int fallback) => Math.Max(0, configuration.GetValue(key, fallback));
}
