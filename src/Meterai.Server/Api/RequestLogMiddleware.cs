using System.Diagnostics;
using System.Security.Claims;
using Meterai.Server.Identity;

namespace Meterai.Server.Api;

/// <summary>
/// One structured log line per request, and a correlation id that ties it to every other log line of the request
/// and to the answer: taken from <c>X-Correlation-Id</c> when the caller sends a sane one (a proxy or a channel's
/// own id), generated otherwise, and always echoed in the response.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var id = Accept(context.Request.Headers[Header].ToString()) ?? Guid.NewGuid().ToString("N");
        context.TraceIdentifier = id;
        // Set when the answer starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var c = (HttpContext)state;
            c.Response.Headers[Header] = c.TraceIdentifier;
            return Task.CompletedTask;
        }, context);

        var started = Stopwatch.GetTimestamp();
        using var scope = logger.BeginScope(new KeyValuePair<string, object>[] { new("correlation_id", id) });
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            logger.LogInformation("{method} {path} {status} {elapsed_ms} ms {principal}",
                context.Request.Method, context.Request.Path.Value, status,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2), Describe(context.User));
        }
    }

    /// <summary>An id of 1–64 characters from [A-Za-z0-9._-]; anything else is ignored (it would end up in our logs).</summary>
    private static string? Accept(string value)
    {
        if (value.Length is 0 or > 64) return null;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')) return null;
        }

        return value;
    }

    private static string Describe(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? $"{user.FindFirst(AccessTokenClaims.Kind)?.Value}:{user.FindFirst(AccessTokenClaims.Subject)?.Value}" : "anonymous";
}
