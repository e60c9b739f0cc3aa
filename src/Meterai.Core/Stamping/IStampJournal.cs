using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;

namespace Meterai.Core.Stamping;

/// <summary>
/// The writes of a stamp on its hot path, each one durable transaction: its opening (the stamp record and its quota
/// reservation), its serial's reservation (once the engine has accepted the file, so that a refused file leaves no
/// trace in the registry), and its closing (the reservation posted, the serial bound to the output, the stamp
/// completed). A store may commit many stamps' writes together (group commit); each step is still the same idempotent
/// step as on <see cref="IStampStore"/>, <see cref="ILedgerStore"/> and <see cref="ISerialStore"/>, so a caller that
/// gets less than everything finishes the rest step by step.
/// </summary>
public interface IStampJournal
{
    /// <summary>
    /// Inserts <paramref name="record"/> unless a stamp with its id exists; when it was created, submits
    /// <paramref name="reservation"/> (its attempt's pending transfer).
    /// </summary>
    Task<StampOpening> OpenAsync(StampRecord record, Transfer reservation, CancellationToken cancellationToken = default);

    /// <summary><see cref="ISerialStore.ReserveAsync"/>: the same outcome and errors.</summary>
    Task<Result<SerialRecord>> ReserveSerialAsync(SerialReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Posts the attempt's reservation; when posted (now or before), binds the stamp's serial to the output; when the
    /// serial is bound to that output, completes the stamp if <see cref="StampClose.LeaseToken"/> still holds its lease.
    /// </summary>
    Task<StampClosing> CloseAsync(StampClose close, CancellationToken cancellationToken = default);
}

/// <summary>What an opening did: the stored record, whether this call created it, and for a new one its reservation's result.</summary>
public sealed record StampOpening(StampRecord Record, bool Created, TransferResult? Reservation)
{
    /// <summary>A new stamp whose quota is held for its first attempt: stamping can go straight to the engine.</summary>
    public bool Reserved => Created && Reservation == TransferResult.Ok;
}

/// <summary>
/// A closing: <paramref name="Post"/> posts <paramref name="Stamp"/>'s reservation, <paramref name="Binding"/> is the
/// serial's document, <paramref name="Completion"/> what the stamp records (its <c>StampedAt</c> is replaced by the
/// registry's binding time).
/// </summary>
public sealed record StampClose(StampRecord Stamp, UInt128 LeaseToken, Transfer Post, SerialStamp Binding, StampCompletion Completion);

/// <summary>What a closing did: the post's result, and whether the stamp is now completed (with the registry's stamping time).</summary>
public sealed record StampClosing(TransferResult Post, bool Completed, DateTimeOffset? StampedAt);
