namespace Meterai.Core.Ledger;

/// <summary>
/// The outcome of one transfer in a batch. <see cref="Ok"/> and <see cref="Exists"/> mean "committed"; every other
/// value means nothing of this transfer was written. The snake_case codes (<see cref="TransferResultCodes.Code"/>) are
/// part of the public API and never change. Checks run in the order the values are declared (after the id checks).
/// </summary>
public enum TransferResult
{
    Ok = 0,

    /// <summary>A transfer with this id and the same body is already committed: a harmless replay.</summary>
    Exists,

    /// <summary>A transfer with this id but a different body is already committed.</summary>
    TransferIdReused,

    /// <summary>Another transfer of the same linked chain failed, so this one was not applied either.</summary>
    LinkedEventFailed,

    /// <summary>The last transfer of the request has the Linked flag: the chain never ends.</summary>
    LinkedEventChainOpen,
    IdMustNotBeZero,
    FlagsInvalid,
    FlagsAreMutuallyExclusive,
    PendingIdMustBeZero,
    PendingIdMustNotBeZero,
    PendingIdMustBeDifferent,
    TimeoutReservedForPendingTransfer,
    AmountMustBePositive,
    AmountMustNotBeNegative,
    CodeMustNotBeZero,
    AccountsMustBeDifferent,
    DebitAccountNotFound,
    CreditAccountNotFound,
    DebitAccountClosed,
    CreditAccountClosed,
    PendingTransferNotFound,
    PendingTransferNotPending,
    PendingTransferHasDifferentDebitAccount,
    PendingTransferHasDifferentCreditAccount,
    PendingTransferHasDifferentCode,
    PendingTransferHasDifferentAmount,
    ExceedsPendingTransferAmount,
    PendingTransferAlreadyPosted,
    PendingTransferAlreadyVoided,
    PendingTransferExpired,
    OverflowsDebits,
    OverflowsCredits,

    /// <summary>The debit account (DebitsMustNotExceedCredits) does not hold enough quota.</summary>
    ExceedsCredits,

    /// <summary>The credit account (CreditsMustNotExceedDebits) would take more than it gave.</summary>
    ExceedsDebits,
}

public static class TransferResultCodes
{
    private static readonly Dictionary<TransferResult, string> Codes = new()
    {
        [TransferResult.Ok] = "ok",
        [TransferResult.Exists] = "exists",
        [TransferResult.TransferIdReused] = "transfer_id_reused",
        [TransferResult.LinkedEventFailed] = "linked_event_failed",
        [TransferResult.LinkedEventChainOpen] = "linked_event_chain_open",
        [TransferResult.IdMustNotBeZero] = "id_must_not_be_zero",
        [TransferResult.FlagsInvalid] = "flags_invalid",
        [TransferResult.FlagsAreMutuallyExclusive] = "flags_are_mutually_exclusive",
        [TransferResult.PendingIdMustBeZero] = "pending_id_must_be_zero",
        [TransferResult.PendingIdMustNotBeZero] = "pending_id_must_not_be_zero",
        [TransferResult.PendingIdMustBeDifferent] = "pending_id_must_be_different",
        [TransferResult.TimeoutReservedForPendingTransfer] = "timeout_reserved_for_pending_transfer",
        [TransferResult.AmountMustBePositive] = "amount_must_be_positive",
        [TransferResult.AmountMustNotBeNegative] = "amount_must_not_be_negative",
        [TransferResult.CodeMustNotBeZero] = "code_must_not_be_zero",
        [TransferResult.AccountsMustBeDifferent] = "accounts_must_be_different",
        [TransferResult.DebitAccountNotFound] = "debit_account_not_found",
        [TransferResult.CreditAccountNotFound] = "credit_account_not_found",
        [TransferResult.DebitAccountClosed] = "debit_account_closed",
        [TransferResult.CreditAccountClosed] = "credit_account_closed",
        [TransferResult.PendingTransferNotFound] = "pending_transfer_not_found",
        [TransferResult.PendingTransferNotPending] = "pending_transfer_not_pending",
        [TransferResult.PendingTransferHasDifferentDebitAccount] = "pending_transfer_has_different_debit_account",
        [TransferResult.PendingTransferHasDifferentCreditAccount] = "pending_transfer_has_different_credit_account",
        [TransferResult.PendingTransferHasDifferentCode] = "pending_transfer_has_different_code",
        [TransferResult.PendingTransferHasDifferentAmount] = "pending_transfer_has_different_amount",
        [TransferResult.ExceedsPendingTransferAmount] = "exceeds_pending_transfer_amount",
        [TransferResult.PendingTransferAlreadyPosted] = "pending_transfer_already_posted",
        [TransferResult.PendingTransferAlreadyVoided] = "pending_transfer_already_voided",
        [TransferResult.PendingTransferExpired] = "pending_transfer_expired",
        [TransferResult.OverflowsDebits] = "overflows_debits",
        [TransferResult.OverflowsCredits] = "overflows_credits",
        [TransferResult.ExceedsCredits] = "exceeds_credits",
        [TransferResult.ExceedsDebits] = "exceeds_debits",
    };

    /// <summary>The stable snake_case code, e.g. <c>transfer_id_reused</c>.</summary>
    public static string Code(this TransferResult result) =>
        Codes.TryGetValue(result, out var code) ? code : throw new ArgumentOutOfRangeException(nameof(result), result, null);

    /// <summary>Committed: now, or by an earlier identical request.</summary>
    public static bool IsCommitted(this TransferResult result) => result is TransferResult.Ok or TransferResult.Exists;

    public static IReadOnlyCollection<TransferResult> All => Codes.Keys;
}
