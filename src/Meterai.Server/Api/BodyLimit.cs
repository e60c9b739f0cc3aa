using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Meterai.Server.Api;

/// <summary>An endpoint's request body limit (uploads declare theirs; JSON endpoints get <c>Api:MaxJsonBodyBytes</c>).</summary>
public sealed record BodyLimit(long Bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => Bytes;
}

public static class BodyLimitExtensions
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimit(bytes));
}

/// <summary>
/// Applies the endpoint's body limit before anything reads the body (Kestrel then refuses a larger body with 413),
/// so a JSON endpoint never buffers megabytes and an upload endpoint gets exactly its limit.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, long defaultLimit)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? defaultLimit;
        }

        return next(context);
    }
}
