using Meterai.Core.Payments;
using static Meterai.Core.Payments.TransactionStatus;

namespace Meterai.PaySim.Tests.Domain;

public class TransactionStatusRulesTests
{
    [Theory]
    [InlineData(Pending, Settlement, StatusChange.Advance)]
    [InlineData(Pending, Capture, StatusChange.Advance)]
    [InlineData(Capture, Settlement, StatusChange.Advance)]
    [InlineData(Pending, Expire, StatusChange.Advance)]
    [InlineData(Settlement, PartialRefund, StatusChange.Advance)]
    [InlineData(PartialRefund, Refund, StatusChange.Advance)]
    [InlineData(Settlement, Refund, StatusChange.Advance)]
    [InlineData(Settlement, Settlement, StatusChange.Repeat)]
    [InlineData(Pending, Pending, StatusChange.Repeat)]
    [InlineData(Settlement, Pending, StatusChange.Stale)]   // a reordered pending after the settlement
    [InlineData(Refund, Settlement, StatusChange.Stale)]    // a replayed old settlement after the refund
    [InlineData(Expire, Pending, StatusChange.Stale)]
    [InlineData(Expire, Settlement, StatusChange.Contradiction)]
    [InlineData(Settlement, Expire, StatusChange.Contradiction)]
    [InlineData(Deny, Settlement, StatusChange.Contradiction)]
    [InlineData(Cancel, Expire, StatusChange.Contradiction)]
    public void Compares_recorded_and_incoming(TransactionStatus recorded, TransactionStatus incoming, StatusChange expected)
    {
        Assert.Equal(expected, TransactionStatusRules.Compare(recorded, incoming));
    }

    [Fact]
    public void Final_statuses_have_no_way_forward()
    {
        foreach (var from in Enum.GetValues<TransactionStatus>())
        {
            var anyForward = Enum.GetValues<TransactionStatus>().Any(to => TransactionStatusRules.CanMove(from, to));
            Assert.Equal(!TransactionStatusRules.IsFinal(from), anyForward);
        }
    }

    [Fact]
    public void Only_settlement_and_an_accepted_capture_are_paid()
    {
        Assert.True(TransactionStatusRules.IsPaid(Settlement, FraudStatus.Accept));
        Assert.True(TransactionStatusRules.IsPaid(Settlement, null));
        Assert.True(TransactionStatusRules.IsPaid(Capture, FraudStatus.Accept));
        Assert.False(TransactionStatusRules.IsPaid(Capture, FraudStatus.Challenge));
        Assert.False(TransactionStatusRules.IsPaid(Pending, FraudStatus.Accept));
        Assert.False(TransactionStatusRules.IsPaid(Refund, FraudStatus.Accept));
        Assert.True(TransactionStatusRules.WasPaid(Refund, FraudStatus.Accept));
        Assert.False(TransactionStatusRules.WasPaid(Expire, FraudStatus.Accept));
    }

    [Fact]
    public void Wire_names_and_status_codes_round_trip()
    {
        foreach (var s in Enum.GetValues<TransactionStatus>())
        {
            Assert.True(TransactionStatusNames.TryParse(s.ToWire(), out var back));
            Assert.Equal(s, back);
            Assert.Contains(s.StatusCode(), new[] { "200", "201", "202" });
        }

        Assert.False(TransactionStatusNames.TryParse("Settlement", out _));
        Assert.Equal("201", Pending.StatusCode());
        Assert.Equal("200", Settlement.StatusCode());
        Assert.Equal("202", Expire.StatusCode());
    }
}
