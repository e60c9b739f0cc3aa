using System.Text;
using Meterai.Core.Serials;
using Meterai.Pdf;
using Meterai.Server.Api;
using Meterai.Server.Stamping;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meterai.Server.Verification;

/// <summary>Public verification: the QR code's page, the serial lookup, verifying an uploaded PDF, and the timestamp authority.</summary>
internal static class VerificationEndpoints
{
    public static void Map(IEndpointRouteBuilder app, long maxUploadBytes)
    {
        // Route literals match any case, so the QR code's upper-case form (/V/…, cheaper in a QR code) lands here too.
        app.MapGet("/v/{serial}", async (string serial, SerialLookup lookup, CancellationToken ct) =>
            {
                var parsed = SerialNumber.Parse(serial);
                if (!parsed.IsOk) return Html(VerifyPage.Render(null, serial, parsed.Error.Message), StatusCodes.Status400BadRequest);
                var found = await lookup.FindAsync(parsed.Value, ct);
                return Html(VerifyPage.Render(found, parsed.Value.Value, null), found is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
            })
            .AllowAnonymous()
            .WithTags("Verification")
            .WithSummary("The verification page a stamp's QR code opens (HTML, Bahasa Indonesia then English; /V/{serial} too)")
            .WithDescription("Shows what the registry holds for the serial (state, date, nominal, document SHA-256, channel) and a form to check a file. "
                + "It never calls a file valid: only a file that is uploaded (POST /v/{serial}) can be checked.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");

        // The page's upload form: the same verification as POST /api/v1/verify, answered as a page about this serial.
        app.MapPost("/v/{serial}", async (string serial, HttpContext http, VerificationService verification, SerialLookup lookup, CancellationToken ct) =>
            {
                var parsed = SerialNumber.Parse(serial);
                if (!parsed.IsOk) return Html(VerifyPage.Render(null, serial, parsed.Error.Message), StatusCodes.Status400BadRequest);
                var outcome = await verification.VerifyUploadAsync(http, ct);
                if (outcome.Problem is ProblemHttpResult { ProblemDetails: var problem } refused)
                {
                    return Html(FileCheckPage.Refused(parsed.Value.Value, problem.Detail ?? problem.Title ?? "", problem.Extensions.TryGetValue("code", out var c) ? c?.ToString() : null), refused.StatusCode);
                }

                if (outcome.Problem is not null) return outcome.Problem;
                var registered = await lookup.FindAsync(parsed.Value, ct);
                return Html(FileCheckPage.Render(parsed.Value.Value, registered, outcome.Answer!), StatusCodes.Status200OK);
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithBodyLimit(maxUploadBytes + ApiConventions.MultipartOverheadBytes)
            .WithTags("Verification")
            .WithSummary("Check a file against a serial from its verification page (multipart: file, optional password; answers HTML)")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");

        var api = app.MapGroup("/api/v1").WithTags("Verification");

        api.MapGet("/serials/{serial}", async (string serial, SerialLookup lookup, CancellationToken ct) =>
            {
                var parsed = SerialNumber.Parse(serial);
                if (!parsed.IsOk) return ApiProblem.Of(parsed.Error);
                return await lookup.FindAsync(parsed.Value, ct) is { } found
                    ? Results.Ok(found)
                    : ApiProblem.Of(StatusCodes.Status404NotFound, SerialRegistryErrors.NotFound, "no e-Meterai with this serial number was ever issued");
            })
            .AllowAnonymous()
            .WithSummary("A serial's registry entry (public: no personal data)")
            .Produces<SerialResponse>()
            .Problems(400, SerialErrors.InvalidLength, SerialErrors.InvalidCharacter, SerialErrors.InvalidCheckCharacter)
            .Problems(404, SerialRegistryErrors.NotFound);

        api.MapPost("/verify", async (HttpContext http, VerificationService verification, CancellationToken ct) =>
            {
                var outcome = await verification.VerifyUploadAsync(http, ct);
                return outcome.Problem ?? Results.Ok(outcome.Answer);
            })
            .AllowAnonymous()
            .WithBodyLimit(maxUploadBytes + ApiConventions.MultipartOverheadBytes)
            .WithSummary("Verify a PDF (multipart: file, optional password): every signature, its e-Meterai serial against the registry, and the changes after each")
            .WithDescription("The answer is bounded whatever the file: the verdicts cover every signature (signature_count), but at most " +
                "Verification:MaxSignaturesListed (20) signatures are detailed, e-Meterai first, each with at most Verification:MaxChangeNotes (20) " +
                "change notes (change_note_count counts them all) and texts cut at 256 characters; truncated says whether anything was left out. " +
                "One verification may use 2 s of processor time and 256 MB (422 work_limit_exceeded past them); each node verifies a few files at once " +
                "(503 verification_busy with Retry-After past that) and each client address a few per minute (429 verification_rate_limited with Retry-After). " +
                "e_meterai_count is the number of e-Meterai signatures found. all_e_meterai_registered is true only when that count is at least 1 "
                + "and every e-Meterai is signed by this issuer and registered to the revision it signed; a file without e-Meterai answers false with "
                + "e_meterai_count 0. changes_after of each signature is none, harmless (only what the allow-list admits after it: later signatures, "
                + "DSS/VRI, document timestamps, metadata no page shows) or changed, with change_notes naming what changed.")
            .Produces<VerifyResponse>()
            .Problems(400, "multipart_invalid", "file_missing", "file_empty", "field_too_long")
            .Problems(413, "file_too_large", "request_too_large", PdfErrorCodes.TooLarge)
            .Problems(415, "unsupported_media_type", PdfErrorCodes.NotAPdf)
            .Problems(422, PdfErrorCodes.Truncated, PdfErrorCodes.Malformed, PdfErrorCodes.PasswordRequired, PdfErrorCodes.WrongPassword, PdfErrorCodes.UnsupportedEncryption,
                PdfErrorCodes.LimitExceeded, PdfErrorCodes.WorkLimitExceeded)
            .Problems(429, VerificationErrors.RateLimited)
            .Problems(503, VerificationErrors.Busy);

        TimestampEndpoint.Map(app);
    }

    private static IResult Html(string html, int status) => Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
