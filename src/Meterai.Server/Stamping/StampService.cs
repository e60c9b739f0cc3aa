using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Server.Api;
using Meterai.Server.Files;
using Meterai.Server.Identity;

namespace Meterai.Server.Stamping;

/// <summary>
/// <c>POST /api/v1/stamps</c> from request to answer: read and check the upload (within the node's upload bound), take
/// a stamping slot once it has arrived (<see cref="StampAdmission"/>), find or create the stamp record of
/// (caller, Idempotency-Key), and then, depending on what the record says — new, finished, failed, running
/// elsewhere, abandoned by a dead node — stamp it, answer the earlier outcome, start the next attempt, wait, or
/// take over. Large files become jobs (202) instead.
/// </summary>
public sealed class StampService(
    UploadReader uploads,
    IStampStore stamps,
    IStampJournal journal,
    ApplicantChannels applicants,
    StampProcessor processor,
    StampFileStore files,
    StampSettings settings,
    PublicAddress address,
    StampTimings timings,
    StampAdmission admission,
    IClock clock)
{
    public async Task<IResult> StampAsync(HttpContext http, CancellationToken ct)
    {
        var caller = http.Caller();
        var (key, keyProblem) = IdempotencyKey.Read(http.Request);
        if (keyProblem is not null) return keyProblem;
        var t = timings.Start();
        if (!admission.TryStartUpload()) return admission.Refused(StampAdmission.Refusal.Node);
        UploadResult read;
        try
        {
            read = await uploads.ReadAsync(http.Request, ct);
        }
        finally
        {
            admission.EndUpload();
        }

        using var _ = read;
        t = timings.Lap(StampTimings.Step.Upload, t);
        if (read.Problem is not null) return read.Problem;
        var upload = read.Upload!;
        var (form, formProblem) = StampForm.Read(read.Fields, clock.UtcNow);
        if (formProblem is not null) return formProblem;

        UInt128 applicantId, channelId;
        if (caller.IsChannel)
        {
            if (form!.ApplicantId is not { } requested) return ApiProblem.Field("field_missing", "applicant_id", "a channel stamps for one of its applicants: send applicant_id");
            // Another channel's applicant is as unknown to this channel as one that does not exist.
            if (await applicants.ChannelOfAsync(requested, ct) != caller.Id) return ApplicantNotFound();
            (applicantId, channelId) = (requested, caller.Id);
        }
        else
        {
            if (form!.ApplicantId is { } requested && requested != caller.Id) return ApplicantNotFound();
            (applicantId, channelId) = (caller.Id, caller.ChannelId);
        }

        // The upload has arrived: only now does it take a stamping slot, so a slow upload holds none.
        if (admission.TryEnterStamping(caller, applicantId) is { } refused) return admission.Refused(refused);
        try
        {
            return await StampArrivedAsync(caller, key!, upload, form, applicantId, channelId, t, ct);
        }
        finally
        {
            admission.ExitStamping(caller, applicantId);
        }
    }

    private async Task<IResult> StampArrivedAsync(Principal caller, string key, StampUpload upload, StampForm form, UInt128 applicantId, UInt128 channelId, long t,
        CancellationToken ct)
    {
        var isJob = upload.Length > settings.AsyncThresholdBytes;
        if (isJob && form.Password is not null)
        {
            return ApiProblem.Of(StatusCodes.Status422UnprocessableEntity, "password_not_supported_for_jobs",
                $"files over {settings.AsyncThresholdBytes / (1024 * 1024)} MiB are stamped later by a job, which never stores passwords: remove the password from the PDF first");
        }

        var id = StampIds.For(caller.Id, key);
        var fingerprint = form.Fingerprint(upload.Sha256, applicantId);
        var token = LedgerId.New(clock);
        var now = clock.UtcNow;
        var placement = form.Rect is { } r ? new StampPlacement(form.Page, r.X1, r.Y1, r.X2, r.Y2) : new StampPlacement(form.Page, 0, 0, 0, 0);
        var record = new StampRecord(id, caller.Id, applicantId, channelId, fingerprint, StampState.Processing, 1, SerialNumber.New(), StampIds.Reservation(id, 1),
            token, now + settings.Lease, form.Document, placement, upload.FileName, upload.Length, upload.Sha256, isJob, 0, null, null, null, null, now, null, null, null,
            null, null, false);
        // A new stamp's record and quota in one write (shared with the stamps arriving at the same moment).
        var opening = await journal.OpenAsync(record, processor.Reservation(record), ct);
        var stored = opening.Record;
        timings.Lap(StampTimings.Step.Begin, t);
        if (opening.Created) return await ExecuteAsync(stored, token, upload, form.Password, replayed: false, ct, opening.Reservation);
        if (!stored.RequestSha256.AsSpan().SequenceEqual(fingerprint))
        {
            return ApiProblem.Of(StatusCodes.Status422UnprocessableEntity, IdempotencyKey.Reused,
                "this Idempotency-Key was used for a different request (another file or other fields): use a new key for a new stamp");
        }

        return await ResumeAsync(stored, upload, form.Password, ct);
    }

    /// <summary>What a retry finds: the earlier answer, a new attempt, a wait, or a takeover.</summary>
    private async Task<IResult> ResumeAsync(StampRecord s, StampUpload upload, string? password, CancellationToken ct)
    {
        var deadline = clock.UtcNow + settings.InProgressWait;
        while (true)
        {
            switch (s.State)
            {
                case StampState.Completed:
                    return new StampFileResult(s, null, files, StatusCodes.Status200OK, replayed: true);
                case StampState.Queued:
                    return Accepted(s);
                case StampState.Failed when !s.ErrorRetryable:
                    return Failure(s, s.ErrorCode!, s.ErrorMessage ?? "", false);
                case StampState.Failed:
                {
                    var token = LedgerId.New(clock);
                    var next = await stamps.RetryAsync(s.Id, s.Attempt, token, clock.UtcNow + settings.Lease, SerialNumber.New(), StampIds.Reservation(s.Id, s.Attempt + 1), ct);
                    if (next is not null) return await ExecuteAsync(next, token, upload, password, replayed: false, ct);
                    break;
                }

                case StampState.Processing when s.LeaseUntil < clock.UtcNow:
                {
                    // Its node stalled or died: continue its attempt (same serial, same reservation).
                    var token = LedgerId.New(clock);
                    var taken = await stamps.TakeOverAsync(s.Id, token, clock.UtcNow, clock.UtcNow + settings.Lease, ct);
                    if (taken is not null) return await ExecuteAsync(taken, token, upload, password, replayed: false, ct);
                    break;
                }

                case StampState.Processing when s.IsJob:
                    return Accepted(s);
            }

            if (clock.UtcNow >= deadline)
            {
                return ApiProblem.WithRetryAfter(ApiProblem.Of(StatusCodes.Status409Conflict, StampErrors.InProgress,
                    "this stamp is being made by an earlier request with the same Idempotency-Key: retry shortly", Extra(s)), TimeSpan.FromSeconds(1));
            }

            await Task.Delay(100, ct);
            s = await stamps.GetAsync(s.Id, ct) ?? throw new InvalidOperationException("a stamp vanished");
        }
    }

    /// <summary>Runs (or queues) the attempt this request holds the lease of.</summary>
    /// <param name="reservation">The quota reservation this request's opening made, if it made one.</param>
    private async Task<IResult> ExecuteAsync(StampRecord s, UInt128 token, StampUpload upload, string? password, bool replayed, CancellationToken ct, TransferResult? reservation = null)
    {
        if (s.IsJob) return await EnqueueAsync(s, token, upload, reservation, ct);
        var run = await processor.RunAsync(s, token, upload.OpenRead, password, ct, reservation);
        return run switch
        {
            StampRun.Completed done => new StampFileResult(done.Record, done.Output, files, replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created, replayed),
            StampRun.Failed failed => Failure(failed.Record, failed.Code, failed.Message, failed.Retryable),
            _ => Accepted(run switch { StampRun.Requeued q => q.Record, _ => s }),
        };
    }

    /// <summary>A large file: reserve its quota now (so the caller learns at once if there is none), store the upload, queue it.</summary>
    private async Task<IResult> EnqueueAsync(StampRecord s, UInt128 token, StampUpload upload, TransferResult? reservation, CancellationToken ct)
    {
        if (reservation != TransferResult.Ok && await processor.ReserveQuotaAsync(s, ct, reservation) is { } refused)
        {
            await stamps.FailAsync(s.Id, token, s.Attempt, refused.Code, refused.Message, true, clock.UtcNow, ct);
            return Failure(s, refused.Code, refused.Message, true);
        }

        var target = files.JobInputPath(s.Id);
        if (!File.Exists(target))
        {
            if (upload.TempPath is { } spilled)
            {
                await files.PublishAsync(spilled, target);
                upload.ReleaseFile();
            }
            else
            {
                await files.PublishBytesAsync(upload.InMemory!.Memory, target);
            }
        }

        await stamps.QueueAsync(s.Id, token, clock.UtcNow, null, ct);
        return Accepted(s with { State = StampState.Queued });
    }

    private IResult Accepted(StampRecord s) =>
        Results.Accepted($"/api/v1/stamps/{PublicId.Format(s.Id)}", StampResponse.From(s, address.BaseUrl));

    private static IResult Failure(StampRecord s, string code, string message, bool retryable)
    {
        var status = ErrorStatus.For(code);
        var problem = ApiProblem.Of(status, code, message, Extra(s, retryable));
        return status == StatusCodes.Status503ServiceUnavailable ? ApiProblem.WithRetryAfter(problem, TimeSpan.FromSeconds(2)) : problem;
    }

    private static Dictionary<string, object?> Extra(StampRecord s, bool? retryable = null)
    {
        var extra = new Dictionary<string, object?> { ["stamp_id"] = PublicId.Format(s.Id) };
        if (retryable is { } r) extra["retryable"] = r;
        return extra;
    }

    private static IResult ApplicantNotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, IdentityErrors.ApplicantNotFound, "no such applicant for this caller");
}
