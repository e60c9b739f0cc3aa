using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Server.Api;

namespace Meterai.Server.Payments;

/// <summary>A buyer's order request: <c>{"quantity": 2, "method": "qris"}</c> or <c>{"quantity": 2, "method": "va", "bank": "bni"}</c>.</summary>
public sealed record OrderCreateRequest(int? Quantity, string? Method, string? Bank);

/// <summary>A refund of unused stamps: <c>{"quantity": 1, "reason": "…"}</c>.</summary>
public sealed record RefundCreateRequest(int? Quantity, string? Reason);

/// <summary>What the buyer pays with: scan <see cref="QrString"/> (QRIS) or transfer to <see cref="VaNumber"/> at <see cref="Bank"/>, before <see cref="ExpiresAt"/>.</summary>
public sealed record ChargeResponse(string TransactionId, string? QrString, string? VaNumber, string? Bank, string? PayUrl, DateTimeOffset ExpiresAt);

/// <summary>An order as the API shows it. Amounts are whole Rupiah.</summary>
public sealed record OrderResponse(
    string Id,
    string State,
    string BuyerKind,
    string BuyerId,
    string? ChannelId,
    int Quantity,
    long FaceValue,
    long ServiceFee,
    long UnitPrice,
    long Total,
    string Method,
    string? Bank,
    ChargeResponse? Charge,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? FulfilledAt,
    DateTimeOffset? ExpiredAt,
    DateTimeOffset? RefundedAt,
    int RefundedQuantity,
    bool LatePayment,
    string? ProviderStatus,
    string? CreditError)
{
    /// <param name="operatorView">Operators also see why a paid order is not credited yet (e.g. exceeds_credits: the issuer's stock).</param>
    public static OrderResponse From(Order o, bool operatorView = false) => new(
        o.Id.Value, o.State.ToWire(), o.Buyer.Kind.ToWire(), PublicId.Format(o.Buyer.Id), o.ChannelId is { } c ? PublicId.Format(c) : null, o.Quantity,
        o.Price.FaceValue.Value, o.Price.ServiceFee.Value, o.Price.Unit.Value, o.Total.Value, PaymentsApi.MethodName(o.Method), o.Bank,
        o.Charge is { } ch ? new ChargeResponse(ch.TransactionId, ch.QrString, ch.VaNumber, ch.Bank, ch.PayUrl?.ToString(), ch.ExpiresAt) : null,
        o.CreatedAt, o.ExpiresAt, o.PaidAt, o.FulfilledAt, o.ExpiredAt, o.RefundedAt, o.RefundedQuantity, o.LatePayment, o.ProviderStatus?.ToWire(),
        operatorView ? o.CreditError : null);
}

public sealed record RefundResponse(string Id, string OrderId, int Quantity, long Amount, string State, string? Reason, DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt, string? Error)
{
    public static RefundResponse From(OrderRefund r) =>
        new(r.Id, r.OrderId.Value, r.Quantity, r.Amount.Value, r.State.ToWire(), r.Reason, r.CreatedAt, r.CompletedAt, r.Error);
}

/// <param name="Confirmed">The provider's confirmed word (status API or the answer to our own call); false only for rows written before issue 10.</param>
public sealed record InboxEntryResponse(string Provider, string Status, string Source, string Verdict, string? TransactionId, string? NotificationId,
    DateTimeOffset ReceivedAt, string? Note, bool Confirmed)
{
    public static InboxEntryResponse From(InboxEntry e) => new(e.Provider, e.Status.ToWire(), e.Source.ToWire(),
        e.Verdict == ReportVerdict.Stale ? "stale" : "applied", e.TransactionId, e.NotificationId, e.ReceivedAt, e.Note, e.Confirmed);
}

public sealed record PaymentEventResponse(long Id, DateTimeOffset At, string Source, string Code, string Message, string? OrderId, string? Status, string? NotificationId)
{
    public static PaymentEventResponse From(StoredPaymentEvent e) =>
        new(e.Id, e.Event.At, e.Event.Source, e.Event.Code, e.Event.Message, e.Event.OrderId, e.Event.Status, e.Event.NotificationId);
}

/// <summary>The operator's view of one order: the order, every provider status recorded for it, its refunds and events.</summary>
public sealed record OrderDetailResponse(OrderResponse Order, IEnumerable<InboxEntryResponse> Inbox, IEnumerable<RefundResponse> Refunds, IEnumerable<PaymentEventResponse> Events);

public sealed record OrderPageResponse(IReadOnlyDictionary<string, long> Counts, string? State, int Offset, int Limit, IEnumerable<OrderResponse> Orders);

public sealed record ProviderInfo(string Name, string BaseUrl, bool SandboxDefaults, string Note);

/// <summary>Orders to recheck: <c>{"order_ids": ["MTR-…", …]}</c>, or <c>{"broken": true, "limit": 100}</c> for those the audit flags.</summary>
public sealed record RecheckRequest(string[]? OrderIds, bool? Broken, int? Limit);

/// <param name="Code">Null when the recheck ran (the provider answered and its answer was applied); else why it could not.</param>
public sealed record RecheckItemResponse(string OrderId, string? Before, string? After, string? Code, string? Message)
{
    public static RecheckItemResponse From(RecheckOutcome o) => new(o.OrderId, o.Before?.ToWire(), o.After?.ToWire(), o.Error?.Code, o.Error?.Message);
}

/// <param name="StillBroken">With <c>broken</c>: the orders the audit flags after the pass (at most the limit); null for named orders.</param>
public sealed record RecheckResponse(IEnumerable<RecheckItemResponse> Rechecked, IEnumerable<string>? StillBroken);

public sealed record WorkerLease(string Name, string Holder, DateTimeOffset Until, DateTimeOffset? LastCompletedAt);

/// <summary>The operator's payments health: <see cref="PaidButNotCredited"/> must stay zero.</summary>
/// <param name="RefusedNotificationsOnThisNode">Notifications refused before their signature checked (forged, malformed), by code, since
/// the answering node started: never written to the database, so counted per node.</param>
/// <param name="ChallengesLimitedOnThisNode">Signed notifications answered "deferred" without a status API challenge because challenges of
/// their order or sender were limited (<see cref="ChallengeGate"/>), by reason, since the answering node started.</param>
public sealed record PaymentHealthResponse(
    string Status,
    long PaidButNotCredited,
    IReadOnlyDictionary<string, long> OrdersByState,
    long AwaitingPaymentOverdue,
    long RefundsOutstanding,
    long RefundsFailed,
    long EventsLastDay,
    IReadOnlyDictionary<string, long> EventsLastDayByCode,
    IEnumerable<WorkerLease> Workers,
    ProviderInfo Provider,
    IReadOnlyDictionary<string, long> RefusedNotificationsOnThisNode,
    IReadOnlyDictionary<string, long> ChallengesLimitedOnThisNode);

/// <summary>Wire names and the HTTP statuses of the payments codes (registered once with <see cref="ErrorStatus"/>).</summary>
internal static class PaymentsApi
{
    public static readonly string[] TokenCodes = Meterai.Core.Identity.IdentityErrors.TokenCodes;

    /// <summary>A recheck request that names neither orders nor <c>broken</c> (or both, or too many).</summary>
    public const string RecheckSelectionInvalid = "recheck_selection_invalid";

    public static string MethodName(PaymentMethod method) => method == PaymentMethod.Qris ? "qris" : "va";

    public static PaymentMethod? ParseMethod(string? name) => name switch
    {
        "qris" => PaymentMethod.Qris,
        "va" => PaymentMethod.VirtualAccount,
        _ => null,
    };

    private static int _registered;

    public static void RegisterErrorStatuses()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        ErrorStatus.Register(StatusCodes.Status400BadRequest, OrderErrors.QuantityInvalid, OrderErrors.MethodInvalid, OrderErrors.BankInvalid,
            OrderErrors.IdempotencyKeyInvalid, PaymentErrors.MalformedNotification, "order_id_invalid", "state_invalid", RecheckSelectionInvalid);
        ErrorStatus.Register(StatusCodes.Status403Forbidden, PaymentErrors.SignatureInvalid);
        ErrorStatus.Register(StatusCodes.Status404NotFound, OrderErrors.OrderNotFound);
        // A reused Idempotency-Key with another body is 422 everywhere in the API (the stamps and distribution areas too).
        ErrorStatus.Register(StatusCodes.Status422UnprocessableEntity, OrderErrors.IdempotencyKeyReused);
        ErrorStatus.Register(StatusCodes.Status409Conflict, OrderErrors.OutOfStock, OrderErrors.OrderExpired,
            OrderErrors.RefundNotAllowed, OrderErrors.RefundExceedsOrder, OrderErrors.QuotaAlreadyUsed, OrderErrors.RefundKeyReused,
            PaymentErrors.OrderIdConflict, PaymentErrors.TransactionExpired, PaymentErrors.RefundNotAllowed, PaymentErrors.RefundExceedsAmount,
            PaymentErrors.RefundKeyConflict);
        ErrorStatus.Register(StatusCodes.Status502BadGateway, PaymentErrors.ProviderUnauthorized, PaymentErrors.ProviderProtocol, PaymentErrors.ProviderRejected);
        ErrorStatus.Register(StatusCodes.Status503ServiceUnavailable, PaymentErrors.ProviderUnavailable);
    }

    /// <summary>A problem for an error value; the provider being down says when to come back.</summary>
    public static IResult Problem(Error error) =>
        error.Code == PaymentErrors.ProviderUnavailable ? ApiProblem.WithRetryAfter(ApiProblem.Of(error), TimeSpan.FromSeconds(5)) : ApiProblem.Of(error);

    public static IResult OrderNotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, OrderErrors.OrderNotFound, "no such order");
}
