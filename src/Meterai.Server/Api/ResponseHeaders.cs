using Microsoft.Net.Http.Headers;

namespace Meterai.Server.Api;

/// <summary>
/// The headers every answer carries, set as the answer starts (after the exception handler has cleared what came
/// before), so that a new endpoint or page has them without asking (issue 10, item 10b):
/// <list type="bullet">
/// <item><c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c> on every answer (a stamped PDF
/// is never sniffed into something a browser runs; a /v/{serial} address never leaks to the next site).</item>
/// <item><c>Cache-Control: no-store</c> unless the endpoint set its own: tokens, stamped files, quotas and everything
/// personal are never kept by a browser or a shared cache; an endpoint that wants caching says so itself.</item>
/// <item>On HTML pages, <c>Content-Security-Policy</c> (<c>Api:ContentSecurityPolicy</c>, default
/// <see cref="DefaultPagePolicy"/>: nothing loads, no script runs, the page cannot be framed) and
/// <c>X-Frame-Options: DENY</c> for browsers that know no <c>frame-ancestors</c>, unless the page set its own.</item>
/// </list>
/// </summary>
internal sealed class ResponseHeaders(RequestDelegate next, IConfiguration configuration)
{
    /// <summary>Inline styles only (the verification page has one style element); no script, no frames, no forms elsewhere.</summary>
    public const string DefaultPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private readonly string _pagePolicy = configuration["Api:ContentSecurityPolicy"] is { Length: > 0 } configured ? configured : DefaultPagePolicy;

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var (self, c) = ((ResponseHeaders, HttpContext))state;
            self.Apply(c.Response);
            return Task.CompletedTask;
        }, (this, context));
        return next(context);
    }

    private void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!headers.ContainsKey(HeaderNames.CacheControl)) headers.CacheControl = "no-store";
        if (response.ContentType is { } type && type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) && !headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = _pagePolicy;
            headers.XFrameOptions = "DENY";
        }
    }
}
