using Meterai.Core.Orders;
using Meterai.Core.Payments;

namespace Meterai.Core.Tests.Orders;

/// <summary>When an order as recorded agrees with the provider's current record, and when it does not.</summary>
public class ProviderAgreementTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 31, 7, 0, 0, TimeSpan.Zero);

    private static Order Order(OrderState state, TransactionStatus? recorded, int refunded = 0, bool charged = true) =>
        new NewOrder(OrderId.New(), Buyer.Applicant(1), Core.Channels.Channel.DirectId, 2, UnitPrice.WithFee(new Rupiah(1_500)), PaymentMethod.Qris, null, null, 1,
            Now, Now.AddMinutes(15), Now.AddMinutes(3)).ToOrder() with
        {
            State = state,
            ProviderStatus = recorded,
            RefundedQuantity = refunded,
            PaidAt = state is OrderState.Paid or OrderState.Fulfilled or OrderState.Refunded ? Now : null,
            FulfilledAt = state is OrderState.Fulfilled or OrderState.Refunded ? Now : null,
            Charge = charged ? new OrderCharge("tx", "qr", null, null, null, Now.AddMinutes(15)) : null,
        };

    private static ProviderTransaction Truth(Order order, TransactionStatus status, long refunded = 0, long? amount = null) =>
        new(order.Id.Value, "tx", PaymentMethod.Qris, amount is { } a ? new Rupiah(a) : order.Total, status, FraudStatus.Accept, Now, Now.AddMinutes(15),
            TransactionStatusRules.WasPaid(status, FraudStatus.Accept) ? Now : null, new Rupiah(refunded));

    [Theory]
    [InlineData(OrderState.PendingPayment, TransactionStatus.Pending, TransactionStatus.Pending)]
    [InlineData(OrderState.Fulfilled, TransactionStatus.Settlement, TransactionStatus.Settlement)]
    [InlineData(OrderState.Paid, TransactionStatus.Settlement, TransactionStatus.Settlement)]
    [InlineData(OrderState.Expired, TransactionStatus.Expire, TransactionStatus.Expire)]
    [InlineData(OrderState.Refunded, TransactionStatus.Refund, TransactionStatus.Refund)]
    public void Agreeing_orders(OrderState state, TransactionStatus recorded, TransactionStatus provider)
    {
        var order = Order(state, recorded);
        Assert.Null(ProviderAgreement.Disagreement(order, Truth(order, provider, provider == TransactionStatus.Refund ? order.Total.Value : 0)));
    }

    [Fact]
    public void Our_own_refunds_agree_while_the_providers_half_is_outstanding()
    {
        var all = Order(OrderState.Refunded, TransactionStatus.Settlement, refunded: 2);
        Assert.Null(ProviderAgreement.Disagreement(all, Truth(all, TransactionStatus.Settlement)));
        var part = Order(OrderState.Fulfilled, TransactionStatus.Settlement, refunded: 1);
        Assert.Null(ProviderAgreement.Disagreement(part, Truth(part, TransactionStatus.PartialRefund, refunded: 11_500)));
    }

    [Fact]
    public void Orders_the_provider_never_charged_agree_only_when_nothing_was_charged()
    {
        Assert.Null(ProviderAgreement.Disagreement(Order(OrderState.Created, null, charged: false), null));
        Assert.Null(ProviderAgreement.Disagreement(Order(OrderState.Expired, TransactionStatus.Expire, charged: false), null));
        Assert.Contains("has no transaction", ProviderAgreement.Disagreement(Order(OrderState.PendingPayment, TransactionStatus.Pending), null));
    }

    [Theory]
    [InlineData(OrderState.PendingPayment, TransactionStatus.Pending, TransactionStatus.Settlement, "the provider says settlement")]
    [InlineData(OrderState.Expired, TransactionStatus.Expire, TransactionStatus.Settlement, "the provider says settlement")]
    [InlineData(OrderState.Fulfilled, TransactionStatus.Settlement, TransactionStatus.Refund, "the provider says refund")]
    [InlineData(OrderState.Refunded, TransactionStatus.Refund, TransactionStatus.Settlement, "behind the recorded status")]
    [InlineData(OrderState.Fulfilled, TransactionStatus.Settlement, TransactionStatus.Expire, "the provider says expire")]
    [InlineData(OrderState.PendingPayment, TransactionStatus.Pending, TransactionStatus.Expire, "the provider says expire")]
    public void Disagreeing_orders(OrderState state, TransactionStatus recorded, TransactionStatus provider, string why)
    {
        var order = Order(state, recorded);
        Assert.Contains(why, ProviderAgreement.Disagreement(order, Truth(order, provider, provider == TransactionStatus.Refund ? order.Total.Value : 0)));
    }

    [Fact]
    public void A_refund_at_the_provider_beyond_the_stamps_taken_back_and_a_wrong_amount_disagree()
    {
        var order = Order(OrderState.Fulfilled, TransactionStatus.PartialRefund, refunded: 1);
        Assert.Contains("worth 11500.00", ProviderAgreement.Disagreement(order, Truth(order, TransactionStatus.PartialRefund, refunded: 20_000)));
        Assert.Contains("the order is for 23000.00", ProviderAgreement.Disagreement(order, Truth(order, TransactionStatus.Settlement, amount: 1)));
    }
}
