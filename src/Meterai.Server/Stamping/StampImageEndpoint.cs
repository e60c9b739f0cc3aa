using Meterai.Core.Identity;
using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Raster;
using Meterai.Pdf.Stamping;
using Meterai.Server.Api;
using Meterai.Server.Identity;

namespace Meterai.Server.Stamping;

/// <summary>
/// <c>GET /api/v1/serials/{serial}/image</c>: the stamp of a serial as a picture (the web app's placement preview, a
/// distributor's <c>image</c>), drawn from the same model as the PDF's appearance, at the default stamp size. Only
/// for the serial's applicant, its channel or an auditor: to anyone else a serial that exists answers exactly like
/// one that does not.
/// </summary>
internal static class StampImageEndpoint
{
    public const string SizeInvalid = "image_size_invalid";
    public const string FormatInvalid = "image_format_invalid";
    public const string RateLimited = "image_rate_limited";
    private const int DefaultPixels = 183; // 62 pt at about 212 dpi: a sharp preview at twice a screen's scale

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/serials/{serial}/image", async (string serial, string? size, string? format, HttpContext http, ISerialStore serials, IssuerKeys keys, StampImageRateLimit rate, CancellationToken ct) =>
            {
                var caller = http.Caller();
                if (rate.Refuse(caller.Kind + ":" + caller.Id) is { } wait)
                {
                    return ApiProblem.WithRetryAfter(ApiProblem.Of(StatusCodes.Status429TooManyRequests, RateLimited,
                        "this caller asked for more stamp pictures than it may per minute: retry after the time in Retry-After"), wait);
                }

                var parsed = SerialNumber.Parse(serial);
                if (!parsed.IsOk) return ApiProblem.Of(parsed.Error);
                var pixels = DefaultPixels;
                if (size is not null && (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pixels)
                                         || pixels is < StampRaster.MinPixels or > StampRaster.MaxPixels))
                {
                    return ApiProblem.Field(SizeInvalid, "size", $"size is the picture's side in pixels, {StampRaster.MinPixels} to {StampRaster.MaxPixels}");
                }

                if (Format(format, http.Request.Headers.Accept.ToString()) is not { } imageFormat)
                {
                    return ApiProblem.Field(FormatInvalid, "format", "format is png (the default) or jpeg");
                }

                var record = await serials.GetAsync(parsed.Value, ct);
                if (record is null || record.State == SerialState.Released || !MayRead(caller, record)) return NotFound();

                var options = keys.Engine.Options;
                var picture = StampPicture.Create(parsed.Value, options.VerifyUrl(parsed.Value), DefaultStampSize.Width, DefaultStampSize.Height, options.Emblem);
                if (!picture.IsOk) return ApiProblem.Of(picture.Error);
                var bytes = StampRaster.Render(picture.Value, pixels, imageFormat);
                http.Response.Headers.CacheControl = "private, max-age=3600";
                http.Response.Headers.Vary = "Accept, Authorization";
                return Results.File(bytes, imageFormat == StampImageFormat.Jpeg ? "image/jpeg" : "image/png");
            })
            .RequireAuthorization(AccessPolicies.Authenticated)
            .WithTags("Stamping")
            .WithSummary("A serial's stamp as a picture (PNG, or JPEG with format=jpeg or Accept: image/jpeg), size 128–1024 px (default 183): its applicant, its channel, or an auditor")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Problems(400, SerialErrors.InvalidLength, SerialErrors.InvalidCharacter, SerialErrors.InvalidCheckCharacter, SizeInvalid, FormatInvalid)
            .Problems(401, IdentityErrors.TokenCodes)
            .Problems(404, SerialRegistryErrors.NotFound)
            .Problems(429, RateLimited);
    }

    private static bool MayRead(Principal caller, SerialRecord record) =>
        caller.ReadsEverything || (caller.IsApplicant && record.OwnerId == caller.Id) || (caller.IsChannel && record.ChannelId == caller.Id);

    /// <summary>The format asked for: the query's word wins; else JPEG only when Accept names image/jpeg and not image/png.</summary>
    private static StampImageFormat? Format(string? format, string accept) => format?.ToLowerInvariant() switch
    {
        null => accept.Contains("image/jpeg", StringComparison.OrdinalIgnoreCase) && !accept.Contains("image/png", StringComparison.OrdinalIgnoreCase)
            ? StampImageFormat.Jpeg
            : StampImageFormat.Png,
        "png" => StampImageFormat.Png,
        "jpeg" or "jpg" => StampImageFormat.Jpeg,
        _ => null,
    };

    private static IResult NotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, SerialRegistryErrors.NotFound, "no e-Meterai with this serial number for this caller");
}
