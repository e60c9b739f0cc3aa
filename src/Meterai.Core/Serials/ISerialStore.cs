using Meterai.Core.Common;

namespace Meterai.Core.Serials;

/// <summary>
/// The serial registry's storage port. The database itself guarantees that a serial exists once (primary key), that
/// a stamped serial never changes or disappears (trigger), and that a document is bound to one serial (unique index);
/// the codes below are how those rules reach callers. Every write is idempotent: repeating a successful call with the
/// same arguments returns the same record. Serial syntax is checked before a store is called (<see cref="SerialNumber.Parse"/>).
/// </summary>
public interface ISerialStore
{
    /// <summary>
    /// Reserves <paramref name="reservation"/>.Serial for a pending ledger transfer. Errors:
    /// <c>serial_pending_transfer_not_found</c>, <c>serial_pending_transfer_not_pending</c>,
    /// <c>serial_already_reserved</c> (to another transfer/channel/owner), <c>serial_already_stamped</c>, <c>serial_released</c>.
    /// </summary>
    Task<Result<SerialRecord>> ReserveAsync(SerialReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Binds a reserved serial forever to a document page. Errors: <c>serial_not_found</c>, <c>serial_released</c>,
    /// <c>serial_already_stamped</c> (on another document or page), <c>document_already_stamped</c> (with another
    /// serial), <c>serial_channel_mismatch</c>, <c>document_sha256_invalid</c>, <c>page_invalid</c>.
    /// </summary>
    Task<Result<SerialRecord>> StampAsync(SerialNumber serial, SerialStamp stamp, CancellationToken cancellationToken = default);

    /// <summary>Gives up a reservation; the serial is never used again. Errors: <c>serial_not_found</c>, <c>serial_already_stamped</c>.</summary>
    Task<Result<SerialRecord>> ReleaseAsync(SerialNumber serial, CancellationToken cancellationToken = default);

    Task<SerialRecord?> GetAsync(SerialNumber serial, CancellationToken cancellationToken = default);

    /// <summary>The serial a document was stamped with (the verify page's question), if any.</summary>
    Task<SerialRecord?> FindByDocumentAsync(byte[] documentSha256, CancellationToken cancellationToken = default);

    /// <summary>Checks the registry's invariants on the live data (<see cref="SerialInvariant"/>).</summary>
    Task<IReadOnlyList<InvariantCheck>> AuditAsync(CancellationToken cancellationToken = default);
}

/// <summary>The serial-registry invariants an audit checks. Names are stable.</summary>
public static class SerialInvariant
{
    /// <summary>Every stamped serial is bound to one document page and time, no document to two serials, and every
    /// serial names an existing pending transfer.</summary>
    public const string BoundOnce = "serials_bound_once";
}

/// <summary>Error codes of the serial registry (stable, public).</summary>
public static class SerialRegistryErrors
{
    public const string NotFound = "serial_not_found";
    public const string AlreadyReserved = "serial_already_reserved";
    public const string AlreadyStamped = "serial_already_stamped";
    public const string Released = "serial_released";
    public const string ChannelMismatch = "serial_channel_mismatch";
    public const string DocumentAlreadyStamped = "document_already_stamped";
    public const string DocumentSha256Invalid = "document_sha256_invalid";
    public const string PageInvalid = "page_invalid";
    public const string PendingTransferNotFound = "serial_pending_transfer_not_found";
    public const string PendingTransferNotPending = "serial_pending_transfer_not_pending";
}
