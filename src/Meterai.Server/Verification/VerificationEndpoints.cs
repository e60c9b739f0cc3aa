using System.Text;
using Meterai.Core.Serials;
using Meterai.Pdf;
using Meterai.Pdf.Verification;
using Meterai.Server.Api;
using Meterai.Server.Stamping;

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

        api.MapPost("/verify", async (HttpContext http, UploadReader uploads, IssuerKeys keys, SerialLookup lookup, CancellationToken ct) =>
            {
                using var read = await uploads.ReadAsync(http.Request, ct);
                if (read.Problem is not null) return read.Problem;
                Meterai.Core.Common.Result<VerificationReport> verified;
                await using (var input = read.Upload!.OpenRead())
                {
                    verified = PdfVerifier.Verify(input, read.Fields.GetValueOrDefault("password"), trustedRoots: [keys.TrustedRoot]);
                }

                if (!verified.IsOk) return ApiProblem.Of(verified.Error);
                var report = verified.Value;
                var verdicts = new List<SignatureVerdict>();
                foreach (var sig in report.Signatures)
                {
                    RegistryMatch? registry = null;
                    if (sig.Serial is not null && SerialNumber.TryParse(sig.Serial, out var serial))
                    {
                        var entry = await lookup.FindAsync(serial, ct);
                        registry = entry is null
                            ? new RegistryMatch("not_found", null, false, null, "unknown")
                            : new RegistryMatch(entry.State, entry.DocumentSha256, entry.Valid && entry.DocumentSha256 == sig.RevisionSha256, entry.StampedAt, entry.ChannelName);
                    }

                    var issuerSigned = sig.IntegrityValid && sig.Trusted == true && sig.SignerSubject == keys.Signer.Certificate.Subject;
                    verdicts.Add(new SignatureVerdict(sig.FieldName, sig.SubFilter, sig.IntegrityValid, sig.FailureCode, sig.FailureMessage, sig.SignerName, sig.SignerSubject,
                        sig.SigningTime, sig.TimestampTime, sig.Trusted, issuerSigned, sig.IsEMeterai, sig.Serial, registry, sig.RevisionEnd, sig.RevisionSha256,
                        sig.CoversWholeFile, VerifyResponse.Level(sig.ChangesAfter), sig.ChangeNotes));
                }

                return Results.Ok(new VerifyResponse(report.FileLength, report.Damaged, report.AllValid, report.ChangedAfterEMeterai,
                    verdicts.Where(v => v.IsEMeterai).All(v => v.Registry?.Matches == true && v.IssuerSigned), verdicts));
            })
            .AllowAnonymous()
            .WithBodyLimit(maxUploadBytes + ApiConventions.MultipartOverheadBytes)
            .WithSummary("Verify a PDF (multipart: file, optional password): every signature, its e-Meterai serial against the registry, and the changes after each")
            .Produces<VerifyResponse>()
            .Problems(400, "multipart_invalid", "file_missing", "file_empty", "field_too_long")
            .Problems(413, "file_too_large", "request_too_large", PdfErrorCodes.TooLarge)
            .Problems(415, "unsupported_media_type", PdfErrorCodes.NotAPdf)
            .Problems(422, PdfErrorCodes.Truncated, PdfErrorCodes.Malformed, PdfErrorCodes.PasswordRequired, PdfErrorCodes.WrongPassword, PdfErrorCodes.UnsupportedEncryption,
                PdfErrorCodes.LimitExceeded);

        TimestampEndpoint.Map(app);
    }

    private static IResult Html(string html, int status) => Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
