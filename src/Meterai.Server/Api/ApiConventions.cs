using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Meterai.Server.Api;

/// <summary>
/// What every endpoint shares: snake_case JSON, problem details with a <c>code</c> for every error (404, 405, 413,
/// 415 and unhandled exceptions included), a correlation id and one structured log line per request, Kestrel and
/// body limits, and the OpenAPI document at <c>/openapi/v1.json</c>.
/// Configuration: <c>Api:MaxJsonBodyBytes</c> (default 1 MiB), <c>Api:MaxUploadBytes</c> (default 20 MiB),
/// <c>Api:MaxConcurrentConnections</c> (default unlimited), <c>Api:TrustedProxies</c> (see <see cref="ClientAddress"/>),
/// <c>Api:MinRequestBodyBytesPerSecond</c> and <c>Api:MinResponseBytesPerSecond</c> (1024 each, 0 turns the floor off)
/// after <c>Api:MinDataRateGraceSeconds</c> (5; more than 1), <c>Api:ContentSecurityPolicy</c> (pages; see
/// <see cref="ResponseHeaders"/>), <c>Logging:Console:FormatterName</c> (json by default).
/// </summary>
public static class ApiConventions
{
    public const long DefaultMaxJsonBodyBytes = 1024 * 1024;
    public const long DefaultMaxUploadBytes = 20L * 1024 * 1024;

    /// <summary>408: a request body arrived slower than <c>Api:MinRequestBodyBytesPerSecond</c> and was cut off.</summary>
    public const string RequestBodyTooSlow = "request_body_too_slow";

    /// <summary>Multipart framing and the form fields around a file: the request may exceed the file limit by this much.</summary>
    public const long MultipartOverheadBytes = 256 * 1024;

    public static long MaxUploadBytes(IConfiguration configuration) => configuration.GetValue("Api:MaxUploadBytes", DefaultMaxUploadBytes);

    public static WebApplicationBuilder AddApiConventions(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (string.Equals(builder.Configuration["Logging:Console:FormatterName"] ?? "json", "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        }

        // The request log (RequestLogMiddleware) already says what ASP.NET Core's per-request lines say; three lines a
        // request would cost more CPU than stamping at a rush. Logging:LogLevel:Microsoft.AspNetCore overrides this.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null) builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        // Binding failures (bad JSON, wrong content type) become exceptions, so the exception handler gives them a code.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
            c.ProblemDetails.Extensions.TryAdd("code", DefaultCode(status));
            c.ProblemDetails.Extensions.Remove("traceId");
            c.ProblemDetails.Extensions.Remove("trace_id");
            c.ProblemDetails.Extensions["correlation_id"] = c.HttpContext.TraceIdentifier;
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path.Value;
            c.ProblemDetails.Type ??= ApiProblem.TypeFor(status);
        });
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        ErrorStatus.Register(StatusCodes.Status408RequestTimeout, RequestBodyTooSlow);
        builder.Services.AddOpenApi("v1", OpenApiProblems.Configure);
        builder.AddForwardedClientAddress();

        var uploadLimit = MaxUploadBytes(builder.Configuration);
        var (minBodyRate, minResponseRate) = MinDataRates(builder.Configuration);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            // A client that trickles its upload (or reads its answer) slower than this is cut off: 130 uploads at 500 B/s
            // once held a node's every stamping slot (issue 10, item 6). Kestrel's own floor is 240 B/s.
            o.Limits.MinRequestBodyDataRate = minBodyRate;
            o.Limits.MinResponseDataRate = minResponseRate;
            // The largest body any endpoint accepts; each endpoint narrows it (BodyLimitMiddleware).
            o.Limits.MaxRequestBodySize = uploadLimit + MultipartOverheadBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.Limits.MaxRequestLineSize = 8 * 1024;
            o.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            if (builder.Configuration.GetValue<long?>("Api:MaxConcurrentConnections") is { } max) o.Limits.MaxConcurrentConnections = max;
        });
        return builder;
    }

    /// <summary>Middleware order: log and correlate everything, turn failures into problems, route, limit bodies, authenticate.</summary>
    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseForwardedHeaders(); // first: the request log and every per-client limit see the client, not the proxy
        app.UseMiddleware<ResponseHeaders>();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<BodyLimitMiddleware>(app.Configuration.GetValue("Api:MaxJsonBodyBytes", DefaultMaxJsonBodyBytes));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    private static (MinDataRate? Body, MinDataRate? Response) MinDataRates(IConfiguration configuration)
    {
        var grace = TimeSpan.FromSeconds(configuration.GetValue("Api:MinDataRateGraceSeconds", 5.0));
        if (grace <= TimeSpan.FromSeconds(1)) throw new InvalidOperationException("Api:MinDataRateGraceSeconds must be more than 1 (Kestrel checks rates once a second)");
        MinDataRate? Rate(string key) => configuration.GetValue(key, 1024.0) is var rate and > 0 ? new MinDataRate(rate, grace) : null;
        return (Rate("Api:MinRequestBodyBytesPerSecond"), Rate("Api:MinResponseBytesPerSecond"));
    }

    private static string DefaultCode(int status) => status switch
    {
        400 => "bad_request",
        401 => IdentityCodes.Unauthorized,
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        409 => "conflict",
        413 => "request_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        503 => "service_unavailable",
        _ when status >= 500 => "internal_error",
        _ => "error",
    };

    private static class IdentityCodes
    {
        public const string Unauthorized = "token_missing";
    }
}
