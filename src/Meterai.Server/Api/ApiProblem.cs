using Meterai.Core.Common;
using Microsoft.AspNetCore.WebUtilities;

namespace Meterai.Server.Api;

/// <summary>
/// RFC 9457 problem details with the project's stable <c>code</c> member. Every error the API returns goes through
/// here (or through the problem details service with a code filled in by <see cref="ApiConventions"/>).
/// </summary>
public static class ApiProblem
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string code, string detail, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null)
        {
            foreach (var (k, v) in extra) extensions[k] = v;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: ReasonPhrases.GetReasonPhrase(status), type: TypeFor(status), extensions: extensions);
    }

    /// <summary>The problem for an error value, with the status the code maps to (<see cref="ErrorStatus"/>).</summary>
    public static IResult Of(Error error, IReadOnlyDictionary<string, object?>? extra = null) => Of(ErrorStatus.For(error.Code), error.Code, error.Message, extra);

    /// <summary>400 for a missing or malformed request member, naming it.</summary>
    public static IResult Field(string code, string field, string detail) => Of(StatusCodes.Status400BadRequest, code, detail, new Dictionary<string, object?> { ["field"] = field });

    /// <summary>A problem with a Retry-After header (429, 409 in progress, 503).</summary>
    public static IResult WithRetryAfter(IResult problem, TimeSpan after) => new RetryAfterResult(problem, after);

    public static string TypeFor(int status) => $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}";

    private sealed class RetryAfterResult(IResult inner, TimeSpan after) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
