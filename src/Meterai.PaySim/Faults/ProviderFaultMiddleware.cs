using Meterai.Core.Common;
using Meterai.Core.Payments;
using Meterai.PaySim.Api;
using Microsoft.AspNetCore.Http;

namespace Meterai.PaySim.Faults;

/// <summary>
/// Outages and slow answers of the provider's public face: the gateway API (/v2) and the buyer's page (/pay).
/// /sim and /health are never affected, so a test can always see and end what it started.
/// </summary>
internal sealed class ProviderFaultMiddleware(RequestDelegate next, FaultState faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/v2") && !path.StartsWithSegments("/pay"))
        {
            await next(context);
            return;
        }

        if (faults.InOutage(out var mode, out var until))
        {
            if (mode == OutageMode.Reset)
            {
                // No status line at all: the client sees the connection reset, as with a crashed provider.
                context.Abort();
                return;
            }

            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiJson.Error(503, new Error(PaymentErrors.ProviderUnavailable, "the provider is down (sandbox outage); try again later")).ExecuteAsync(context);
            return;
        }

        var slow = faults.SlowAnswerDelay(context.Request.Method, path.Value ?? "");
        if (slow > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(slow, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller gave up waiting: nothing to answer
            }
        }

        await next(context);
    }
}
