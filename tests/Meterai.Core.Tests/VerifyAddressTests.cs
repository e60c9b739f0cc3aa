using Meterai.Core.Serials;

namespace Meterai.Core.Tests;

public class VerifyAddressTests
{
    private static readonly SerialNumber Serial = SerialNumber.New();

    [Theory]
    [InlineData("https://meterai.example.id", "HTTPS://METERAI.EXAMPLE.ID/V/")]
    [InlineData("https://meterai.example.id/", "HTTPS://METERAI.EXAMPLE.ID/V/")]
    [InlineData("http://127.0.0.1:5080", "HTTP://127.0.0.1:5080/V/")]
    [InlineData("https://Example.ID/meterai", "HTTPS://EXAMPLE.ID/meterai/V/")] // a path is kept as written: a proxy may route it case-sensitively
    public void Scheme_and_host_are_upper_case_and_the_serial_follows_V(string baseUrl, string prefix)
    {
        Assert.Equal(prefix + Serial.Value, VerifyAddress.For(baseUrl, Serial));
    }

    [Fact]
    public void Every_character_of_a_plain_base_url_is_qr_alphanumeric()
    {
        const string alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        Assert.All(VerifyAddress.For("https://e-meterai.example.co.id:8443", Serial), c => Assert.Contains(c, alphanumeric));
    }
}
