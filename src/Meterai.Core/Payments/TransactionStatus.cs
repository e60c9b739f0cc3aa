using System.Diagnostics.CodeAnalysis;

namespace Meterai.Core.Payments;

/// <summary>A provider transaction's status, as the gateway names it in "transaction_status".</summary>
public enum TransactionStatus
{
    /// <summary>Charged, waiting for the buyer to pay (QR shown, VA number issued).</summary>
    Pending,

    /// <summary>Card-like flows: authorised, to be settled; paid only when the fraud status is accept.</summary>
    Capture,

    /// <summary>The money arrived: the order is paid.</summary>
    Settlement,

    /// <summary>Refused by the bank or the fraud screen; final.</summary>
    Deny,

    /// <summary>Cancelled by the merchant before settlement; final.</summary>
    Cancel,

    /// <summary>Not paid before its expiry; final.</summary>
    Expire,

    /// <summary>Part of a settled amount was given back; more refunds may follow.</summary>
    PartialRefund,

    /// <summary>The whole settled amount was given back; final.</summary>
    Refund,
}

public static class TransactionStatusNames
{
    public static string ToWire(this TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => "pending",
        TransactionStatus.Capture => "capture",
        TransactionStatus.Settlement => "settlement",
        TransactionStatus.Deny => "deny",
        TransactionStatus.Cancel => "cancel",
        TransactionStatus.Expire => "expire",
        TransactionStatus.PartialRefund => "partial_refund",
        TransactionStatus.Refund => "refund",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? wire, [NotNullWhen(true)] out TransactionStatus? status)
    {
        status = wire switch
        {
            "pending" => TransactionStatus.Pending,
            "capture" => TransactionStatus.Capture,
            "settlement" => TransactionStatus.Settlement,
            "deny" => TransactionStatus.Deny,
            "cancel" => TransactionStatus.Cancel,
            "expire" => TransactionStatus.Expire,
            "partial_refund" => TransactionStatus.PartialRefund,
            "refund" => TransactionStatus.Refund,
            _ => null,
        };
        return status is not null;
    }

    /// <summary>
    /// The gateway's "status_code" for a status: "201" waiting, "200" money moved (in or back out), "202" refused or
    /// lapsed. It is part of the signed string, so a notification whose code disagrees with its status is malformed.
    /// </summary>
    public static string StatusCode(this TransactionStatus status) => status switch
    {
        TransactionStatus.Pending => "201",
        TransactionStatus.Capture or TransactionStatus.Settlement or TransactionStatus.PartialRefund or TransactionStatus.Refund => "200",
        TransactionStatus.Deny or TransactionStatus.Cancel or TransactionStatus.Expire => "202",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
