using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Meterai.Server.Api;

/// <summary>
/// Turns exceptions into problem details: malformed requests the framework rejects (bad JSON, a body over the
/// limit, a wrong content type) get their 4xx and a code; anything else is a 500 <c>internal_error</c> that names
/// the correlation id and never shows a stack trace.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away: nobody to answer
        }

        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "request_too_large", "the request body is larger than this endpoint accepts"),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                (415, "unsupported_media_type", "this endpoint expects another content type"),
            BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } =>
                (408, ApiConventions.RequestBodyTooSlow, "the request body arrived too slowly (below this node's minimum rate) and was cut off: send it again, faster"),
            BadHttpRequestException { InnerException: JsonException json } => (400, "invalid_json", InvalidJson(json)),
            BadHttpRequestException b => (b.StatusCode, "bad_request", b.Message),
            // The sender's message may name the server; the caller learns only that it is worth asking again.
            Meterai.Core.Identity.CodeDeliveryException => (503, Meterai.Core.Identity.CodeDeliveryException.Code,
                "the code could not be sent just now; ask for a new one in a minute (kode tidak dapat dikirim saat ini; minta kode baru sebentar lagi)"),
            _ => (500, "internal_error", $"something went wrong on our side; quote correlation id {context.TraceIdentifier}"),
        };
        if (exception is Meterai.Core.Identity.CodeDeliveryException delivery)
        {
            logger.LogWarning("code delivery failed: {why}", delivery.Message); // the sender masked the address; no stack trace for an outage
            context.Response.Headers.RetryAfter = "60";
        }
        else if (status >= 500) logger.LogError(exception, "unhandled exception");
        else logger.LogInformation("request refused: {code}: {message}", code, exception.Message);

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), Detail = detail, Type = ApiProblem.TypeFor(status) };
        problem.Extensions["code"] = code;
        if (exception is BadHttpRequestException { InnerException: JsonException j } && Member(j) is { } field) problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static string InvalidJson(JsonException e) =>
        (Member(e) is { } field ? $"the request body's member '{field}' is not valid for this endpoint" : "the request body is not valid JSON for this endpoint")
        + " (numbers are JSON numbers, not strings; each member once)";

    /// <summary>The member a JSON error is about ("$.stamps" → "stamps"), or null for the whole body.</summary>
    private static string? Member(JsonException e) => e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
}
