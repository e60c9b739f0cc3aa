using Meterai.Core.Payments;

namespace Meterai.PaySim.Tests.Domain;

public class RupiahTests
{
    [Theory]
    [InlineData("10000.00", 10_000)]
    [InlineData("10000", 10_000)]
    [InlineData("0.00", 0)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("999999999999999999.00", 999_999_999_999_999_999)]
    public void Reads_whole_rupiah(string text, long expected)
    {
        var r = Rupiah.ParseGateway(text);
        Assert.True(r.IsOk, r.Error?.ToString());
        Assert.Equal(expected, r.Value.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10000.5")]
    [InlineData("10000.50")]
    [InlineData("10000.01")]
    [InlineData("10000.000")]
    [InlineData("10000.0")]
    [InlineData("10000.")]
    [InlineData(".00")]
    [InlineData("1e4")]
    [InlineData("-10000.00")]
    [InlineData("+10000.00")]
    [InlineData(" 10000.00")]
    [InlineData("10000.00 ")]
    [InlineData("10,000.00")]
    [InlineData("10.000")]
    [InlineData("010000.00")]
    [InlineData("0x2710")]
    [InlineData("١٠٠٠٠")] // Arabic-Indic digits are digits to char.IsDigit, not to a gateway
    [InlineData("1000000000000000000.00")] // 19 digits: more than any amount and than a long may hold
    [InlineData("NaN")]
    public void Refuses_anything_else(string? text)
    {
        var r = Rupiah.ParseGateway(text);
        Assert.False(r.IsOk);
        Assert.Equal(PaymentErrors.AmountInvalid, r.Error.Code);
    }

    [Fact]
    public void Writes_the_gateway_form_and_reads_it_back()
    {
        foreach (var v in new long[] { 0, 1, 10_000, 1_234_567_890 })
        {
            var text = new Rupiah(v).ToGatewayString();
            Assert.Matches("^[0-9]+\\.00$", text);
            Assert.Equal(v, Rupiah.ParseGateway(text).Value.Value);
        }

        Assert.Equal("10000.00", new Rupiah(10_000).ToGatewayString());
        Assert.Equal("Rp10.000", new Rupiah(10_000).ToString());
    }
}
