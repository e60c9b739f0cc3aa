using Meterai.Core.Payments;
using Meterai.PaySim.Transactions;

namespace Meterai.PaySim.Tests.Domain;

public class QrisPayloadTests
{
    [Fact]
    public void Crc_matches_the_ccitt_false_check_value()
    {
        // The catalogue check value of CRC-16/CCITT-FALSE for "123456789".
        Assert.Equal(0x29B1, Crc16Ccitt.Compute("123456789"));
    }

    [Fact]
    public void Payload_is_emvco_tlv_with_amount_currency_and_a_valid_crc()
    {
        var payload = QrisPayload.Build("M-PAYSIM", "ORD-2025-000123", "6f1c2a7e-0000-4000-8000-1234567890ab", new Rupiah(10_000));
        var tags = QrisPayload.Parse(payload);
        Assert.NotNull(tags);
        Assert.Equal("01", tags["00"]);
        Assert.Equal("12", tags["01"]); // dynamic QR: one payment
        Assert.Equal("360", tags["53"]);
        Assert.Equal("10000", tags["54"]);
        Assert.Equal("ID", tags["58"]);
        Assert.Contains("ORD-2025-000123", tags["62"]);
        Assert.StartsWith("0017ID.METERAI.PAYSIM", tags["26"]);
        Assert.Equal(payload[^4..], tags["63"]);
    }

    [Fact]
    public void A_changed_amount_breaks_the_crc()
    {
        var payload = QrisPayload.Build("M-PAYSIM", "ORD-1", "tx", new Rupiah(10_000));
        var tampered = payload.Replace("540510000", "540590000");
        Assert.NotEqual(payload, tampered);
        Assert.Null(QrisPayload.Parse(tampered));
    }
}
