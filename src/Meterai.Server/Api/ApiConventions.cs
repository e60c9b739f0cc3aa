using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;

namespace Meterai.Server.Api;

/// <summary>
/// What every endpoint shares: snake_case JSON, problem details with a <c>code</c> for every error (404, 405, 413,
/// 415 and unhandled exceptions included), a correlation id and one structured log line per request, Kestrel and
/// body limits, and the OpenAPI document at <c>/openapi/v1.json</c>.
/// Configuration: <c>Api:MaxJsonBodyBytes</c> (default 1 MiB), <c>Api:MaxUploadBytes</c> (default 20 MiB),
/// <c>Api:MaxConcurrentConnections</c> (default unlimited), <c>Api:TrustedProxies</c> (see <see cref="ClientAddress"/>),
/// <c>Logging:Console:FormatterName</c> (json by default).
/// </summary>
public static class ApiConventions
{
    public const long DefaultMaxJsonBodyBytes = 1024 * 1024;
    public const long DefaultMaxUploadBytes = 20L * 1024 * 1024;

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
        builder.Services.AddOpenApi("v1", OpenApiProblems.Configure);
        builder.AddForwardedClientAddress();

        var uploadLimit = MaxUploadBytes(builder.Configuration);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
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
