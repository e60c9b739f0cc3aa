namespace Meterai.Core.Ledger;

/// <summary>
/// A transfer as a client submits it: move <see cref="Amount"/> whole stamps from the debit account to the credit
/// account. The id is chosen by the client so that a retry carries the same id: a replay with the same body returns
/// <see cref="TransferResult.Exists"/>, with another body <see cref="TransferResult.TransferIdReused"/>.
/// </summary>
/// <param name="Id">Non-zero, unique forever. Use <see cref="LedgerId.New"/> or a <see cref="Common.DerivedId"/>.</param>
/// <param name="DebitAccountId">For post/void: zero (take the pending transfer's) or the same account.</param>
/// <param name="CreditAccountId">For post/void: zero (take the pending transfer's) or the same account.</param>
/// <param name="Amount">Whole stamps, &gt; 0. For a post: 0 posts the whole pending amount, less posts part of it and
/// releases the rest. For a void: 0 or the pending amount.</param>
/// <param name="Code">Why (a <see cref="TransferCode"/>), non-zero. For post/void: 0 or the pending transfer's code.</param>
/// <param name="Flags">Linked / Pending / PostPendingTransfer / VoidPendingTransfer.</param>
/// <param name="PendingId">For post/void: the pending transfer resolved. Otherwise zero.</param>
/// <param name="TimeoutSeconds">For a pending transfer: seconds until it expires and is voided by the sweeper
/// (0 = never). Otherwise zero.</param>
public readonly record struct Transfer(
    UInt128 Id,
    UInt128 DebitAccountId,
    UInt128 CreditAccountId,
    long Amount,
    int Code,
    TransferFlags Flags = TransferFlags.None,
    UInt128 PendingId = default,
    uint TimeoutSeconds = 0);
