namespace Meterai.Storage.Orders;

/// <summary>The order tables' columns, in the order both backends' row mappers read them.</summary>
internal static class OrderColumns
{
    public const string Order =
        "id, buyer_kind, buyer_id, channel_id, quantity, face_value, service_fee, total, method, bank, state, provider_status, idempotency_key, "
        + "stock_account_id, quota_account_id, credit_transfer_id, created_at, expires_at, updated_at, paid_at, settled_at, fulfilled_at, "
        + "expired_at, refunded_at, refunded_quantity, late_payment, credit_error, transaction_id, qr_string, va_number, charge_bank, pay_url, "
        + "charge_expires_at, next_check_at, checks, recheck_at";

    /// <summary>The same columns qualified with a table alias (for UPDATE … FROM … RETURNING).</summary>
    public static string OrderAs(string alias) => string.Join(", ", Order.Split(", ").Select(c => alias + "." + c));

    public const string Refund =
        "id, order_id, quantity, amount, state, transfer_id, reason, requested_by, created_at, completed_at, error, attempts, next_attempt_at";

    public static string RefundAs(string alias) => string.Join(", ", Refund.Split(", ").Select(c => alias + "." + c));

    public const string Inbox = "provider, order_id, status, source, verdict, transaction_id, notification_id, received_at, note, confirmed";

    public const string Event = "id, at, source, code, message, order_id, status, notification_id, dedupe_key";

    /// <summary>The columns an order's update writes (everything that may change after creation).</summary>
    public const string MutableAssignments =
        "state = {0}, provider_status = {1}, updated_at = {2}, paid_at = {3}, settled_at = {4}, fulfilled_at = {5}, expired_at = {6}, "
        + "refunded_at = {7}, refunded_quantity = {8}, late_payment = {9}, credit_error = {10}, transaction_id = {11}, qr_string = {12}, "
        + "va_number = {13}, charge_bank = {14}, pay_url = {15}, charge_expires_at = {16}";
}
