using System.Text;
using Meterai.Core.Common;
using Meterai.PaySim.Store;
using Microsoft.AspNetCore.Http;

namespace Meterai.PaySim.Api;

/// <summary>
/// The gateway API's authentication: HTTP Basic with the merchant's server key as user name and an empty password,
/// which is how Indonesian gateways authenticate server-to-server calls.
/// </summary>
internal sealed class BasicAuth(MerchantStore merchants) : IEndpointFilter
{
    private const string MerchantItem = "paysim.merchant";

    public static Merchant MerchantOf(HttpContext context) => (Merchant)context.Items[MerchantItem]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var merchant = Authenticate(http.Request.Headers.Authorization.ToString());
        if (merchant is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"paysim\"";
            return ApiJson.Error(401, new Error(ApiJson.Unauthorized, "Basic authentication with the merchant's server key (user name, empty password) is required"));
        }

        http.Items[MerchantItem] = merchant;
        return await next(context);
    }

    private Merchant? Authenticate(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':');
        var key = colon < 0 ? decoded : decoded[..colon];
        return key.Length == 0 ? null : merchants.FindByServerKey(key);
    }
}
