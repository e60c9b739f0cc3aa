using Meterai.Core.Common;

namespace Meterai.Core.Stamping;

/// <summary>
/// The ids a stamp derives, the same on every node: the stamp from (caller, Idempotency-Key), each attempt's ledger
/// reservation from (stamp, attempt), and its post from the reservation. A retry on another node names the same rows.
/// </summary>
public static class StampIds
{
    public static UInt128 For(UInt128 callerId, string idempotencyKey) =>
        DerivedId.From("meterai/stamp/v1", PublicId.Format(callerId) + "\n" + idempotencyKey);

    public static UInt128 Reservation(UInt128 stampId, int attempt) =>
        DerivedId.From("meterai/stamp/reservation/v1", PublicId.Format(stampId) + "\n" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static UInt128 Post(UInt128 pendingTransferId) => DerivedId.From("meterai/stamp/post/v1", pendingTransferId);

    public static UInt128 Void(UInt128 pendingTransferId) => DerivedId.From("meterai/stamp/void/v1", pendingTransferId);
}
