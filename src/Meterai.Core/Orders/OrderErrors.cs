namespace Meterai.Core.Orders;

/// <summary>The stable error codes of orders and refunds (the payment codes are in <see cref="Payments.PaymentErrors"/>).</summary>
public static class OrderErrors
{
    public const string OrderNotFound = "order_not_found";
    public const string QuantityInvalid = "quantity_invalid";
    public const string MethodInvalid = "payment_method_invalid";
    public const string BankInvalid = "bank_invalid";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string OutOfStock = "out_of_stock";
    public const string OrderExpired = "order_expired";
    public const string PaymentsDisabled = "payments_disabled";

    public const string RefundNotAllowed = "order_refund_not_allowed";
    public const string RefundExceedsOrder = "refund_exceeds_order";
    public const string QuotaAlreadyUsed = "quota_already_used";
    public const string RefundKeyReused = "refund_key_reused";
    public const string ServiceFeeInvalid = "service_fee_invalid";
}
