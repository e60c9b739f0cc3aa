using Meterai.Pdf.Appearance;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Pdf;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Server.Files;

namespace Meterai.Server.Stamping;

/// <summary>
/// The stamping steps for one attempt of one stamp, run by whoever holds its lease (the request's node, a retry
/// that took over, a job worker, the recovery worker). Every step is idempotent, so a run may start over after a
/// crash anywhere:
/// <list type="number">
/// <item>reserve one stamp of the applicant's quota (a pending ledger transfer with an id derived from the stamp and
/// attempt);</item>
/// <item>if this attempt's output was already published (a crash after writing it), take it and go to 6;</item>
/// <item>prepare the stamp with the attempt's serial within its work budget (<see cref="StampBudgets"/>; all checks of the file and the placement; a refusal voids the
/// reservation: nothing is charged);</item>
/// <item>reserve the serial in the registry for that ledger reservation;</item>
/// <item>sign, timestamp, and publish the output in the file store (first publisher wins);</item>
/// <item>post the reservation (the stamp is consumed), bind the serial to the output's SHA-256, record the stamp
/// completed.</item>
/// </list>
/// On a failure after step 1 the reservation is voided and the serial released before the stamp is recorded failed,
/// so a failed stamp never holds quota; a retryable failure lets the same request start the next attempt.
/// </summary>
public sealed class StampProcessor(
    ILedgerStore ledger,
    ISerialStore serials,
    IStampStore stamps,
    IStampJournal journal,
    IssuerKeys keys,
    StampFileStore files,
    StampSettings settings,
    StampBudgets budgets,
    CrashPoints crash,
    StampTimings timings,
    IClock clock,
    ILogger<StampProcessor> logger)
{
    private static readonly HashSet<string> UserErrors =
    [
        PdfErrorCodes.NotAPdf, PdfErrorCodes.Truncated, PdfErrorCodes.DamagedSignedFile, PdfErrorCodes.PasswordRequired, PdfErrorCodes.WrongPassword,
        PdfErrorCodes.PermissionDenied, PdfErrorCodes.CertifiedNoChanges, PdfErrorCodes.CertifiedNoEmptyField, PdfErrorCodes.FieldLocked, PdfErrorCodes.PageOutOfRange, PdfErrorCodes.RectOffPage,
        PdfErrorCodes.TooLarge, PdfErrorCodes.UnsupportedEncryption, PdfErrorCodes.LimitExceeded, PdfErrorCodes.Malformed, PdfErrorCodes.InvalidRequest,
        PdfErrorCodes.WorkLimitExceeded, StampAppearanceErrors.RectTooSmall, StampAppearanceErrors.RectInvalid,
    ];

    /// <summary>Codes a file or request causes: the same request would meet them again, so they are final.</summary>
    public static bool IsUserError(string code) => UserErrors.Contains(code);

    /// <summary>The ledger reservation of a stamp (or job) attempt.</summary>
    public Transfer Reservation(StampRecord s) =>
        new(s.PendingTransferId, QuotaAccounts.ApplicantQuotaId(s.ApplicantId), SystemAccounts.Consumed.Id, 1, TransferCode.Stamp, TransferFlags.Pending,
            TimeoutSeconds: (uint)(s.IsJob ? settings.JobReservation : settings.Reservation).TotalSeconds);

    /// <summary>
    /// Step 1 alone: reserves the quota. Null when reserved (now or before); otherwise the failure to record (the
    /// stamp is then failed, with nothing held). <paramref name="tried"/>: the reservation's result when the stamp's
    /// opening already asked the ledger (a refusal is then read, not asked for again).
    /// </summary>
    public async Task<(string Code, string Message)?> ReserveQuotaAsync(StampRecord s, CancellationToken ct, TransferResult? tried = null)
    {
        var result = tried ?? (await ledger.CreateTransfersAsync([Reservation(s)], ct))[0];
        switch (result)
        {
            case TransferResult.Ok:
                return null;
            case TransferResult.ExceedsCredits or TransferResult.DebitAccountNotFound:
                return (StampErrors.QuotaExhausted, "no stamp left in the applicant's quota: buy more, then retry");
            case TransferResult.Exists:
                var pending = (await ledger.LookupTransfersAsync([s.PendingTransferId], ct)).FirstOrDefault();
                return pending?.PendingState switch
                {
                    PendingState.Pending or PendingState.Posted => null,
                    _ => (StampErrors.ReservationExpired, "the reservation of this stamp ran out before it finished; retry to stamp again"),
                };
            default:
                return ("internal_error", $"the ledger refused the reservation: {result.Code()}");
        }
    }

    /// <summary>
    /// Runs the steps for the lease holder <paramref name="token"/>. <paramref name="openInput"/> gives the upload.
    /// <paramref name="reservation"/>: the result of the quota reservation the stamp's opening made (null: none made);
    /// <see cref="TransferResult.Ok"/> means step 1 is done and no output can exist yet.
    /// </summary>
    public async Task<StampRun> RunAsync(StampRecord s, UInt128 token, Func<Stream> openInput, string? password, CancellationToken ct, TransferResult? reservation = null)
    {
        var t = timings.Start();
        if (reservation != TransferResult.Ok)
        {
            var refused = await ReserveQuotaAsync(s, ct, reservation);
            t = timings.Lap(StampTimings.Step.ReserveQuota, t);
            if (refused is not null)
            {
                // An expired reservation may have left its serial reserved: release it with the (harmless) void.
                return await FailAsync(s, token, refused.Value.Code, refused.Value.Message, retryable: true, voidReservation: refused.Value.Code == StampErrors.ReservationExpired, ct);
            }

            // A crash after publishing the output: the file is the stamp, whatever happened to the process that made it.
            if (await files.DescribeOutputAsync(s.Id, s.Attempt, ct) is { } published)
            {
                return await FinishAsync(s, token, published.Sha256, published.Length, SigningTimeOf(s) ?? clock.UtcNow, null, PlacedAgain(s, openInput, password), ct);
            }
        }

        var output = new PooledBuffer((int)Math.Min(int.MaxValue - 1, s.InputBytes + 64 * 1024));
        var keep = false;
        try
        {
            Result<StampOutcome> stamped;
            var signingTime = clock.UtcNow;
            StampPlacement placed;
            await using (var input = openInput())
            {
                var prepared = Prepare(s, input, output, password, signingTime, out placed);
                t = timings.Lap(StampTimings.Step.Prepare, t);
                if (!prepared.IsOk) return await FailAsync(s, token, prepared.Error.Code, prepared.Error.Message, !IsUserError(prepared.Error.Code), voidReservation: true, ct);
                using var stamp = prepared.Value;

                var serial = await journal.ReserveSerialAsync(new SerialReservation(s.Serial, s.PendingTransferId, s.ChannelId, s.ApplicantId), ct);
                t = timings.Lap(StampTimings.Step.ReserveSerial, t);
                if (!serial.IsOk)
                {
                    return await FailAsync(s, token, serial.Error.Code == SerialRegistryErrors.PendingTransferNotPending ? StampErrors.ReservationExpired : "serial_unavailable",
                        serial.Error.Message, retryable: true, voidReservation: true, ct);
                }

                crash.Hit("reserve");
                stamped = await keys.Engine.CompleteAsync(stamp, keys.Signer.SignDigest(stamp.DigestToSign.Span), output, ct);
                t = timings.Lap(StampTimings.Step.SignTimestamp, t);
            }

            if (!stamped.IsOk) return await FailAsync(s, token, stamped.Error.Code, stamped.Error.Message, !IsUserError(stamped.Error.Code), voidReservation: true, ct);

            var sha = stamped.Value.Sha256;
            var length = stamped.Value.OutputLength;
            var won = await files.PublishOutputAsync(s.Id, s.Attempt, output.Memory, ct);
            timings.Lap(StampTimings.Step.Publish, t);
            if (!won)
            {
                // Another node published this attempt first (it took over while this one stalled): its file is the stamp.
                var theirs = await files.DescribeOutputAsync(s.Id, s.Attempt, ct) ?? throw new InvalidOperationException("a published output vanished");
                (sha, length) = theirs;
                output.Dispose();
                output = null!;
            }

            crash.Hit("output");
            var run = await FinishAsync(s, token, sha, length, signingTime, output, placed.IsAutomatic ? placed : null, ct);
            keep = run is StampRun.Completed { Output: not null };
            return run;
        }
        finally
        {
            if (!keep) output?.Dispose();
        }
    }

    /// <summary>
    /// Gives up an attempt that has no published output: voids its reservation, releases its serial, records the
    /// failure (retryable, so the same request can start the next attempt).
    /// </summary>
    public Task<StampRun> AbandonAsync(StampRecord s, UInt128 token, string code, string message, CancellationToken ct) =>
        FailAsync(s, token, code, message, retryable: true, voidReservation: true, ct);

    /// <summary>Steps 6: post, bind, record. Safe to repeat: each write answers "already done" the second time.</summary>
    private async Task<StampRun> FinishAsync(StampRecord s, UInt128 token, byte[] sha, long length, DateTimeOffset stampedAt, PooledBuffer? output, StampPlacement? placed,
        CancellationToken ct)
    {
        var t = timings.Start();
        var post = new Transfer(StampIds.Post(s.PendingTransferId), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, s.PendingTransferId);
        // The usual case in one write: posted, bound, completed. Anything less is finished (or failed) step by step below.
        var now = clock.UtcNow;
        var completion = new StampCompletion(sha, length, stampedAt, now, now + settings.FileRetention, placed);
        var closing = await journal.CloseAsync(new StampClose(s, token, post, new SerialStamp(sha, s.Placement.Page, stampedAt, s.ChannelId), completion), ct);
        t = timings.Lap(StampTimings.Step.Post, t);
        // The stamp records the registry's binding time (the same as ours unless an earlier run bound it).
        if (closing.Completed) return Completed(s, completion with { StampedAt = closing.StampedAt!.Value }, output);

        var posted = (await ledger.CreateTransfersAsync([post], ct))[0];
        if (posted is TransferResult.PendingTransferExpired or TransferResult.PendingTransferAlreadyVoided)
        {
            // The reservation ran out before the post: the document was never paid for, so it must not exist.
            files.DeleteOutput(s.Id, s.Attempt);
            return await FailAsync(s, token, StampErrors.ReservationExpired, "the reservation of this stamp ran out before it finished; retry to stamp again", true, true, ct);
        }

        if (!posted.IsCommitted() && posted != TransferResult.PendingTransferAlreadyPosted)
        {
            throw new InvalidOperationException($"posting stamp {PublicId.Format(s.Id)}'s reservation: {posted.Code()}");
        }

        crash.Hit("post");
        // A repeat (the binding was made before a crash) answers the stored record, with its own stamping time.
        var bound = await serials.StampAsync(s.Serial, new SerialStamp(sha, s.Placement.Page, stampedAt, s.ChannelId), ct);
        if (!bound.IsOk) throw new InvalidOperationException($"binding serial {s.Serial} of stamp {PublicId.Format(s.Id)}: {bound.Error}");
        t = timings.Lap(StampTimings.Step.Bind, t);

        completion = completion with { StampedAt = bound.Value.StampedAt ?? stampedAt };
        var completed = await stamps.CompleteAsync(s.Id, token, s.Attempt, completion, ct);
        timings.Lap(StampTimings.Step.Complete, t);
        if (completed) return Completed(s, completion, output);

        // Lost the lease after doing the work: whoever holds it now finishes the same steps to the same result.
        var stored = await stamps.GetAsync(s.Id, ct) ?? throw new InvalidOperationException("a stamp vanished");
        return stored.State == StampState.Completed ? new StampRun.Completed(stored, null) : new StampRun.Failed(stored, StampErrors.InProgress, "another node is finishing this stamp", true);
    }

    private StampRun Completed(StampRecord s, StampCompletion completion, PooledBuffer? output)
    {
        if (s.IsJob) files.DeleteJobInput(s.Id);
        return new StampRun.Completed(s with
        {
            Placement = completion.Placed ?? s.Placement,
            State = StampState.Completed, OutputSha256 = completion.OutputSha256, OutputBytes = completion.OutputBytes, StampedAt = completion.StampedAt,
            CompletedAt = completion.CompletedAt, FileExpiresAt = completion.FileExpiresAt, LeaseToken = UInt128.Zero, LeaseUntil = null,
        }, output);
    }

    private async Task<StampRun> FailAsync(StampRecord s, UInt128 token, string code, string message, bool retryable, bool voidReservation, CancellationToken ct)
    {
        if (s.IsJob && retryable && code is not (StampErrors.QuotaExhausted or StampErrors.ReservationExpired) && s.JobRuns < settings.JobMaxRuns)
        {
            // A passing failure of a job (the timestamp authority, the database): keep its reservation and run it again later.
            var delay = TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, s.JobRuns)));
            await stamps.QueueAsync(s.Id, token, clock.UtcNow + delay, $"{code}: {message}", ct);
            logger.LogWarning("job {stamp_id} run {run} failed ({code}); queued again in {delay}", PublicId.Format(s.Id), s.JobRuns, code, delay);
            return new StampRun.Requeued(s with { State = StampState.Queued }, code);
        }

        if (voidReservation)
        {
            var voided = (await ledger.CreateTransfersAsync([new Transfer(StampIds.Void(s.PendingTransferId), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, s.PendingTransferId)], ct))[0];
            if (voided == TransferResult.PendingTransferAlreadyPosted) throw new InvalidOperationException($"stamp {PublicId.Format(s.Id)} was posted but is being failed");
            var released = await serials.ReleaseAsync(s.Serial, ct);
            if (!released.IsOk && released.Error.Code != SerialRegistryErrors.NotFound) throw new InvalidOperationException($"releasing serial {s.Serial}: {released.Error}");
        }

        if (s.IsJob && !retryable) files.DeleteJobInput(s.Id);
        await stamps.FailAsync(s.Id, token, s.Attempt, code, message, retryable, clock.UtcNow, ct);
        if (!IsUserError(code) && code != StampErrors.QuotaExhausted) logger.LogWarning("stamp {stamp_id} attempt {attempt} failed: {code}: {message}", PublicId.Format(s.Id), s.Attempt, code, message);
        return new StampRun.Failed(s with { State = StampState.Failed, ErrorCode = code, ErrorMessage = message, ErrorRetryable = retryable }, code, message, retryable);
    }

    /// <summary>The signing time written into an attempt's published output (read back after a crash that lost it).</summary>
    private DateTimeOffset? SigningTimeOf(StampRecord s)
    {
        using var file = files.OpenOutput(s.Id, s.Attempt);
        if (file is null) return null;
        var report = Meterai.Pdf.Verification.PdfVerifier.Verify(file);
        return report.IsOk ? report.Value.Signatures.LastOrDefault(x => x.Serial == s.Serial.Value)?.SigningTime : null;
    }

    /// <summary>
    /// Step 3's engine work (the automatic placement when no rectangle was given, then the stamp's preparation) under the
    /// stamp's one work budget. Synchronous on purpose: the budget is the thread's, so no await may fall inside it.
    /// </summary>
    private Result<PreparedStamp> Prepare(StampRecord s, Stream input, PooledBuffer output, string? password, DateTimeOffset signingTime, out StampPlacement placed)
    {
        using var budget = budgets.Enter(s);
        placed = s.Placement;
        if (s.Placement.IsUnchosen)
        {
            var chosen = Place(s.Placement.Page, input, password);
            if (!chosen.IsOk) return chosen.Error;
            placed = chosen.Value;
        }

        return keys.Engine.Prepare(input, output, Request(s, placed, password, signingTime), keys.Profile);
    }

    /// <summary>The free spot nearest the usual place (or the usual place, and why), as the stamp's placement.</summary>
    private static Result<StampPlacement> Place(int page, Stream input, string? password)
    {
        var spot = PageInspector.ChooseSpot(input, page, password);
        if (!spot.IsOk) return spot.Error;
        var r = spot.Value.Rect;
        return new StampPlacement(page, r.X1, r.Y1, r.X2, r.Y2, spot.Value.Fallback ?? StampPlacement.FreeSpot);
    }

    /// <summary>
    /// After a crash that left this attempt's output published: the place the lost run chose, chosen again from the
    /// same upload (the choice depends on the file alone, unless the scan ran out of its share of the budget: then
    /// this answer may differ from the lost run's); null when the stamp was given its rectangle.
    /// </summary>
    private StampPlacement? PlacedAgain(StampRecord s, Func<Stream> openInput, string? password)
    {
        if (!s.Placement.IsUnchosen) return null;
        using var budget = budgets.Enter(s);
        using var input = openInput();
        var placed = Place(s.Placement.Page, input, password);
        return placed.IsOk ? placed.Value : null;
    }

    private static StampRequest Request(StampRecord s, StampPlacement p, string? password, DateTimeOffset signingTime)
    {
        var rect = new PdfRect(p.X1, p.Y1, p.X2, p.Y2);

        var type = DocumentTypes.Find(s.Document.TypeCode);
        return new StampRequest
        {
            Serial = s.Serial,
            Page = p.Page,
            Rectangle = rect,
            SigningTime = signingTime,
            Password = password,
            Reason = type is null ? null : $"e-Meterai Rp10.000 {type.NameId}",
        };
    }
}
