using System.Net;
using Meterai.Server.Api;

namespace Meterai.Server.Tests.Api;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void A_client_is_keyed_by_its_address_or_its_IPv6_slash_64(string address, string key) =>
        Assert.Equal(key, ClientAddress.KeyOf(IPAddress.Parse(address)));

    [Fact]
    public void No_address_is_one_shared_key() => Assert.Equal("unknown", ClientAddress.KeyOf(null));
}
