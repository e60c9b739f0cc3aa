using System.Text.Json;
using Meterai.Core.Payments;

namespace Meterai.PaySim.Tests.Domain;

/// <summary>The bad inputs the crediting side must refuse or ignore, through the helpers it will call.</summary>
public class NotificationChecksTests
{
    private static PaymentNotification Notification(string status = "settlement", string code = "200", string amount = "10000.00", string orderId = "ORD-9") =>
        PaymentNotificationParser.Parse(JsonSerializer.Serialize(PaymentNotificationParserTests.Body(orderId, status, code, amount, "merchant-key")), "merchant-key").Value;

    private static ProviderTransaction Truth(TransactionStatus status, long amount = 10_000, string orderId = "ORD-9") =>
        new(orderId, "0f9a-11", PaymentMethod.Qris, new Rupiah(amount), status, FraudStatus.Accept, DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch.AddMinutes(15), status == TransactionStatus.Settlement ? DateTimeOffset.UnixEpoch : null, Rupiah.Zero);

    [Fact]
    public void Wrong_amount_is_amount_mismatch()
    {
        var n = Notification(amount: "5000.00");
        Assert.Equal(PaymentErrors.AmountMismatch, NotificationChecks.MatchOrder(n, "ORD-9", new Rupiah(10_000))?.Code);
        Assert.Null(NotificationChecks.MatchOrder(Notification(), "ORD-9", new Rupiah(10_000)));
    }

    [Fact]
    public void A_notification_for_another_order_is_order_mismatch_and_an_unknown_order_has_its_code()
    {
        Assert.Equal(PaymentErrors.OrderMismatch, NotificationChecks.MatchOrder(Notification(), "ORD-10", new Rupiah(10_000))?.Code);
        Assert.Equal(PaymentErrors.OrderUnknown, NotificationChecks.UnknownOrder("ORD-404").Code);
    }

    [Fact]
    public void A_status_going_backwards_is_refused_and_a_replay_is_a_repeat()
    {
        Assert.Equal(PaymentErrors.StatusBackwards, NotificationChecks.CheckForward(TransactionStatus.Settlement, TransactionStatus.Pending).Error?.Code);
        Assert.Equal(PaymentErrors.StatusContradiction, NotificationChecks.CheckForward(TransactionStatus.Expire, TransactionStatus.Settlement).Error?.Code);
        Assert.Equal(StatusChange.Repeat, NotificationChecks.CheckForward(TransactionStatus.Settlement, TransactionStatus.Settlement).Value);
        Assert.Equal(StatusChange.Advance, NotificationChecks.CheckForward(TransactionStatus.Pending, TransactionStatus.Settlement).Value);
    }

    [Fact]
    public void The_challenge_confirms_a_notification_the_provider_agrees_with()
    {
        var r = NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Settlement));
        Assert.True(r.IsOk);
        Assert.Equal(TransactionStatus.Settlement, r.Value.Status);
    }

    [Fact]
    public void The_challenge_answers_an_old_replayed_notification_with_the_current_truth()
    {
        // A replayed settlement after a refund: signed, but old. The caller acts on the provider's refund.
        var r = NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Refund));
        Assert.True(r.IsOk);
        Assert.Equal(TransactionStatus.Refund, r.Value.Status);
    }

    [Fact]
    public void The_challenge_refuses_a_settlement_the_provider_does_not_know()
    {
        Assert.Equal(PaymentErrors.NotificationUnconfirmed, NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Pending)).Error?.Code);
        Assert.Equal(PaymentErrors.NotificationUnconfirmed, NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Expire)).Error?.Code);
        Assert.Equal(PaymentErrors.AmountMismatch, NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Settlement, amount: 20_000)).Error?.Code);
        Assert.Equal(PaymentErrors.OrderMismatch, NotificationChecks.Confirm(Notification(), Truth(TransactionStatus.Settlement, orderId: "ORD-1")).Error?.Code);
    }
}
