namespace Meterai.Core.Serials;

/// <summary>A serial in the registry.</summary>
/// <param name="PendingTransferId">The pending ledger transfer that reserves the stamp's quota.</param>
/// <param name="ChannelId">The channel that reserved (and must stamp) the serial.</param>
/// <param name="OwnerId">The user the stamp is for.</param>
/// <param name="DocumentSha256">SHA-256 of the stamped document (32 bytes), once stamped.</param>
/// <param name="Page">1-based page the stamp is drawn on, once stamped.</param>
/// <param name="StampedAt">The stamping time written into the document, once stamped.</param>
/// <param name="ReleasedAt">When the reservation was given up, once released.</param>
public sealed record SerialRecord(
    SerialNumber Serial,
    SerialState State,
    UInt128 PendingTransferId,
    UInt128 ChannelId,
    UInt128 OwnerId,
    DateTimeOffset ReservedAt,
    byte[]? DocumentSha256,
    int? Page,
    DateTimeOffset? StampedAt,
    DateTimeOffset? ReleasedAt);

/// <summary>What to bind a serial to when reserving it.</summary>
public sealed record SerialReservation(SerialNumber Serial, UInt128 PendingTransferId, UInt128 ChannelId, UInt128 OwnerId);

/// <summary>The document a reserved serial is stamped on.</summary>
/// <param name="DocumentSha256">SHA-256 of the document, exactly 32 bytes.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="StampedAt">The time written into the stamp.</param>
/// <param name="ChannelId">The channel stamping; must be the one that reserved the serial.</param>
public sealed record SerialStamp(byte[] DocumentSha256, int Page, DateTimeOffset StampedAt, UInt128 ChannelId);
