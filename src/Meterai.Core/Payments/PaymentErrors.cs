namespace Meterai.Core.Payments;

/// <summary>
/// The stable error codes of the payments area. The first group is what a notification or a provider answer can be
/// wrong about; the second is what the crediting side decides about a well-formed notification; the third is what
/// talking to the provider can end in.
/// </summary>
public static class PaymentErrors
{
    // ---- reading what the provider sent ----
    public const string MalformedNotification = "malformed_notification";
    public const string SignatureInvalid = "signature_invalid";
    public const string AmountInvalid = "amount_invalid";

    // ---- checking a notification against our own books ----
    public const string AmountMismatch = "amount_mismatch";
    public const string OrderUnknown = "order_unknown";
    public const string OrderMismatch = "order_mismatch";
    public const string StatusBackwards = "status_backwards";
    public const string StatusContradiction = "status_contradiction";
    public const string NotificationUnconfirmed = "notification_unconfirmed";

    // ---- talking to the provider ----
    public const string ProviderUnavailable = "provider_unavailable";
    public const string ProviderRejected = "provider_rejected";
    public const string ProviderUnauthorized = "provider_unauthorized";
    public const string ProviderProtocol = "provider_protocol_error";
    public const string TransactionNotFound = "transaction_not_found";
    public const string OrderIdConflict = "order_id_conflict";
    public const string RefundNotAllowed = "refund_not_allowed";
    public const string RefundExceedsAmount = "refund_exceeds_amount";
    public const string RefundKeyConflict = "refund_key_conflict";
    public const string TransactionExpired = "transaction_expired";
    public const string TransactionNotPending = "transaction_not_pending";
}
