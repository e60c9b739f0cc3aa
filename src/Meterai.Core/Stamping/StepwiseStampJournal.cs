using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;

namespace Meterai.Core.Stamping;

/// <summary>
/// <see cref="IStampJournal"/> as the separate steps of the three stores, one after another: the reference behaviour,
/// the journal of a backend with one writer (SQLite), and the fallback of a batching journal for the entries its batch
/// could not take.
/// </summary>
public sealed class StepwiseStampJournal(ILedgerStore ledger, ISerialStore serials, IStampStore stamps) : IStampJournal
{
    public async Task<StampOpening> OpenAsync(StampRecord record, Transfer reservation, CancellationToken cancellationToken = default)
    {
        var (stored, created) = await stamps.BeginAsync(record, cancellationToken).ConfigureAwait(false);
        if (!created) return new StampOpening(stored, false, null);
        var reserved = (await ledger.CreateTransfersAsync([reservation], cancellationToken).ConfigureAwait(false))[0];
        return new StampOpening(stored, true, reserved);
    }

    public Task<Result<SerialRecord>> ReserveSerialAsync(SerialReservation reservation, CancellationToken cancellationToken = default) =>
        serials.ReserveAsync(reservation, cancellationToken);

    public async Task<StampClosing> CloseAsync(StampClose close, CancellationToken cancellationToken = default)
    {
        var posted = (await ledger.CreateTransfersAsync([close.Post], cancellationToken).ConfigureAwait(false))[0];
        if (!IsPosted(posted)) return new StampClosing(posted, false, null);
        var bound = await serials.StampAsync(close.Stamp.Serial, close.Binding, cancellationToken).ConfigureAwait(false);
        if (!bound.IsOk || bound.Value.StampedAt is not { } stampedAt) return new StampClosing(posted, false, null);
        var s = close.Stamp;
        var completed = await stamps.CompleteAsync(s.Id, close.LeaseToken, s.Attempt, close.Completion with { StampedAt = stampedAt }, cancellationToken)
            .ConfigureAwait(false);
        return new StampClosing(posted, completed, completed ? stampedAt : null);
    }

    /// <summary>The reservation is posted: by this post (now, or earlier with the same id) or by another.</summary>
    public static bool IsPosted(TransferResult post) => post.IsCommitted() || post == TransferResult.PendingTransferAlreadyPosted;
}
