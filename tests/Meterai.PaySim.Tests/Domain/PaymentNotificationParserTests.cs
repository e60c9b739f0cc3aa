using System.Text.Json;
using Meterai.Core.Payments;

namespace Meterai.PaySim.Tests.Domain;

public class PaymentNotificationParserTests
{
    private const string Key = "merchant-key";

    internal static Dictionary<string, object?> Body(string orderId = "ORD-9", string status = "settlement", string statusCode = "200",
        string amount = "10000.00", string key = Key) => new()
    {
        ["notification_id"] = "n-1",
        ["transaction_time"] = "2025-01-31T10:00:00+07:00",
        ["settlement_time"] = "2025-01-31T10:01:05+07:00",
        ["transaction_status"] = status,
        ["transaction_id"] = "0f9a-11",
        ["status_message"] = "whatever the provider likes to say",
        ["status_code"] = statusCode,
        ["signature_key"] = NotificationSignature.Compute(orderId, statusCode, amount, key),
        ["payment_type"] = "qris",
        ["order_id"] = orderId,
        ["merchant_id"] = "M-1",
        ["gross_amount"] = amount,
        ["fraud_status"] = "accept",
        ["currency"] = "IDR",
        ["some_future_field"] = new { nested = true },
    };

    private static string Json(Dictionary<string, object?> body) => JsonSerializer.Serialize(body);

    [Fact]
    public void Reads_a_genuine_notification()
    {
        var r = PaymentNotificationParser.Parse(Json(Body()), Key);
        Assert.True(r.IsOk, r.Error?.ToString());
        var n = r.Value;
        Assert.Equal("ORD-9", n.OrderId);
        Assert.Equal(new Rupiah(10_000), n.GrossAmount);
        Assert.Equal(TransactionStatus.Settlement, n.Status);
        Assert.Equal(FraudStatus.Accept, n.Fraud);
        Assert.Equal(PaymentMethod.Qris, n.PaymentType);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 3, 0, 0, TimeSpan.Zero), n.TransactionTime);
        Assert.Equal("n-1", n.NotificationId);
        Assert.True(n.IsPaid);
    }

    [Fact]
    public void Refuses_a_forged_signature()
    {
        var body = Body(key: "someone-else's-key");
        var r = PaymentNotificationParser.Parse(Json(body), Key);
        Assert.Equal(PaymentErrors.SignatureInvalid, r.Error?.Code);
    }

    [Fact]
    public void Refuses_a_genuine_signature_over_a_changed_amount()
    {
        var body = Body();
        body["gross_amount"] = "1000000.00"; // the attacker raises the amount, keeps the signature
        Assert.Equal(PaymentErrors.SignatureInvalid, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }

    [Fact]
    public void Refuses_a_genuine_signature_over_a_changed_status()
    {
        var body = Body(status: "pending", statusCode: "201");
        body["status_code"] = "200";
        body["transaction_status"] = "settlement";
        Assert.Equal(PaymentErrors.SignatureInvalid, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }

    [Theory]
    [InlineData("order_id")]
    [InlineData("status_code")]
    [InlineData("gross_amount")]
    [InlineData("signature_key")]
    [InlineData("transaction_status")]
    [InlineData("transaction_id")]
    [InlineData("payment_type")]
    [InlineData("transaction_time")]
    public void Refuses_a_notification_missing_a_required_member(string member)
    {
        var body = Body();
        body.Remove(member);
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }

    [Fact]
    public void Refuses_an_amount_sent_as_a_number()
    {
        var body = Body();
        body["gross_amount"] = 10000;
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }

    [Fact]
    public void Refuses_a_signed_but_fractional_amount()
    {
        var r = PaymentNotificationParser.Parse(Json(Body(amount: "10000.50")), Key);
        Assert.Equal(PaymentErrors.MalformedNotification, r.Error?.Code);
        Assert.Contains("gross_amount", r.Error!.Message);
    }

    [Fact]
    public void Refuses_a_status_code_that_does_not_go_with_the_status()
    {
        var r = PaymentNotificationParser.Parse(Json(Body(status: "settlement", statusCode: "201")), Key);
        Assert.Equal(PaymentErrors.MalformedNotification, r.Error?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"settlement\"")]
    [InlineData("{\"order_id\":")]
    public void Refuses_what_is_not_a_json_object(string body)
    {
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(body, Key).Error?.Code);
    }

    [Fact]
    public void Refuses_unknown_statuses_and_payment_types_even_when_signed()
    {
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(Json(Body(status: "paid")), Key).Error?.Code);
        var body = Body();
        body["payment_type"] = "credit_card";
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }

    [Fact]
    public void Refuses_an_oversized_body()
    {
        var body = Body();
        body["padding"] = new string('x', PaymentNotificationParser.MaxBodyBytes);
        Assert.Equal(PaymentErrors.MalformedNotification, PaymentNotificationParser.Parse(Json(body), Key).Error?.Code);
    }
}
