using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Meterai.Server.Api;

/// <summary>
/// Who is calling, as far as the network says: the key every per-client limit (one-time codes, logins, verification,
/// the timestamp authority) counts under. Behind a reverse proxy the address comes from X-Forwarded-For, trusted only
/// from the proxies named in <c>Api:TrustedProxies</c> (comma-separated addresses), so a client cannot pick its own
/// key by sending the header. An IPv6 client is keyed by its /64: one subscriber holds a whole /64, and counting each
/// of its 2^64 addresses apart would make every limit free to dodge.
/// </summary>
public static class ClientAddress
{
    /// <summary>The caller's key for rate limits ("203.0.113.7", "2001:db8:1:2::/64", or "unknown").</summary>
    public static string Of(HttpContext http) => KeyOf(http.Connection.RemoteIpAddress);

    public static string KeyOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Reads <c>Api:TrustedProxies</c>; with none, the connection's own address is the client's.</summary>
    public static void AddForwardedClientAddress(this WebApplicationBuilder builder)
    {
        var proxies = (builder.Configuration["Api:TrustedProxies"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in proxies)
            {
                if (!IPAddress.TryParse(p, out var ip)) throw new InvalidOperationException($"Api:TrustedProxies: '{p}' is not an IP address");
                o.KnownProxies.Add(ip);
            }

            o.ForwardLimit = 1;
        });
    }
}
