namespace Meterai.Storage.Ledger;

/// <summary>The ledger tables' columns, in the order both backends' row mappers read them.</summary>
internal static class LedgerColumns
{
    public const string Account =
        "id, owner_kind, owner_id, code, flags, debits_pending, debits_posted, credits_pending, credits_posted, created_at";

    public const string Transfer =
        "id, debit_account_id, credit_account_id, amount, pending_id, timeout_seconds, code, flags, created_at, expires_at, pending_state";
}
