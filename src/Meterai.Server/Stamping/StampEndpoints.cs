using Meterai.Pdf.Appearance;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Stamping;
using Meterai.Pdf;
using Meterai.Server.Api;
using Meterai.Server.Files;
using Meterai.Server.Identity;

namespace Meterai.Server.Stamping;

/// <summary>Stamping over HTTP: stamp, look a stamp up, download it, list one's stamps, and the document types.</summary>
internal static class StampEndpoints
{
    private static readonly string[] TokenCodes = IdentityErrors.TokenCodes;

    public static void Map(IEndpointRouteBuilder app, long maxUploadBytes)
    {
        var api = app.MapGroup("/api/v1").WithTags("Stamping");
        StampImageEndpoint.Map(api);

        api.MapGet("/document-types", () => Results.Ok(DocumentTypes.All.Select(t => new { code = t.Code, name_id = t.NameId, name_en = t.NameEn })))
            .AllowAnonymous()
            .WithSummary("The document types a stamp can name (code, Bahasa Indonesia, English)");

        api.MapPost("/stamps", async (HttpContext http, StampService service, StampAdmission admission, CancellationToken ct) =>
            {
                // The caller's share is taken before its upload is read; the node's stamping slot only once it has arrived (StampService).
                var caller = http.Caller();
                if (admission.TryEnterCaller(caller) is { } refused) return admission.Refused(refused);
                try
                {
                    return await service.StampAsync(http, ct);
                }
                finally
                {
                    admission.ExitCaller(caller);
                }
            })
            .RequireAuthorization(AccessPolicies.Stamper)
            .WithBodyLimit(maxUploadBytes + ApiConventions.MultipartOverheadBytes)
            .WithSummary("Stamp a PDF (multipart: file, page, placement (auto|rect), rect, document_type, document_number, document_date, document_value, applicant_id for channels, " +
                "password; Idempotency-Key). 201 with the stamped PDF; 200 when a retry replays it; 202 with the stamp to poll for files over the job threshold")
            .Produces(StatusCodes.Status201Created, contentType: "application/pdf")
            .Produces<StampResponse>(StatusCodes.Status202Accepted)
            .Problems(400, IdempotencyKey.Missing, IdempotencyKey.Invalid, "multipart_invalid", "file_missing", "file_empty", "field_missing", "field_too_long", "page_invalid",
                "rect_invalid", "placement_invalid", "document_number_invalid", "document_date_invalid", "document_value_invalid", "applicant_id_invalid", "password_invalid",
                StampErrors.DocumentTypeUnknown, PdfErrorCodes.InvalidRequest)
            .Problems(401, TokenCodes)
            .Problems(402, StampErrors.QuotaExhausted)
            .Problems(403, IdentityErrors.Forbidden)
            .Problems(404, IdentityErrors.ApplicantNotFound)
            .Problems(408, ApiConventions.RequestBodyTooSlow)
            .Problems(409, StampErrors.InProgress)
            .Problems(413, "file_too_large", "request_too_large", PdfErrorCodes.TooLarge)
            .Problems(415, "unsupported_media_type", PdfErrorCodes.NotAPdf)
            .Problems(422, IdempotencyKey.Reused, "password_not_supported_for_jobs", PdfErrorCodes.Truncated, PdfErrorCodes.Malformed, PdfErrorCodes.DamagedSignedFile,
                PdfErrorCodes.PasswordRequired, PdfErrorCodes.WrongPassword, PdfErrorCodes.PermissionDenied, PdfErrorCodes.CertifiedNoChanges, PdfErrorCodes.CertifiedNoEmptyField, PdfErrorCodes.FieldLocked,
                PdfErrorCodes.PageOutOfRange, PdfErrorCodes.RectOffPage, StampAppearanceErrors.RectTooSmall, StampAppearanceErrors.RectInvalid, PdfErrorCodes.UnsupportedEncryption, PdfErrorCodes.LimitExceeded, PdfErrorCodes.WorkLimitExceeded)
            .Problems(429, StampErrors.TooManyInProgress)
            .Problems(503, StampErrors.Busy, StampErrors.Interrupted, StampErrors.ReservationExpired, "timestamp_unavailable", "serial_unavailable", "internal_error");

        api.MapGet("/stamps/{id}", async (string id, HttpContext http, IStampStore stamps, PublicAddress address, CancellationToken ct) =>
                await FindAsync(id, http.Caller(), stamps, ct) is { } s
                    ? Results.Ok(StampResponse.From(s, address.BaseUrl))
                    : NotFound())
            .RequireAuthorization(AccessPolicies.Authenticated)
            .WithSummary("A stamp's state (poll a job here): its applicant, its channel, or an auditor")
            .Produces<StampResponse>()
            .Problems(401, TokenCodes).Problems(404, StampErrors.NotFound);

        api.MapGet("/stamps/{id}/file", async (string id, HttpContext http, IStampStore stamps, StampFileStore files, CancellationToken ct) =>
            {
                if (await FindAsync(id, http.Caller(), stamps, ct) is not { } s) return NotFound();
                if (s.State != StampState.Completed)
                {
                    return ApiProblem.Of(StatusCodes.Status409Conflict, StampErrors.NotCompleted, $"the stamp is {s.State.ToString().ToLowerInvariant()}, not completed",
                        new Dictionary<string, object?> { ["stamp_id"] = PublicId.Format(s.Id) });
                }

                return s.FilePurgedAt is not null ? Purged(s) : new StampFileResult(s, null, files, StatusCodes.Status200OK, replayed: false);
            })
            .RequireAuthorization(AccessPolicies.Authenticated)
            .WithSummary("Download a stamped PDF while it is kept (Stamping:FileRetentionHours, default 72): its applicant, its channel, or an auditor")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Problems(401, TokenCodes).Problems(404, StampErrors.NotFound).Problems(409, StampErrors.NotCompleted).Problems(410, StampErrors.FilePurged);

        api.MapGet("/stamps", async (HttpContext http, string? before, int? limit, IStampStore stamps, PublicAddress address, CancellationToken ct) =>
            {
                DateTimeOffset? cursor = null;
                if (before is not null)
                {
                    if (!DateTimeOffset.TryParse(before, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var b))
                    {
                        return ApiProblem.Field("cursor_invalid", "before", "before is the created_at of the last stamp of the previous page");
                    }

                    cursor = b;
                }

                var caller = http.Caller();
                var query = new StampQuery(caller.IsApplicant ? caller.Id : null, caller.IsChannel ? caller.Id : null, cursor, Math.Clamp(limit ?? 50, 1, 200));
                if (!caller.IsApplicant && !caller.IsChannel && !caller.ReadsEverything) return ApiProblem.Of(403, IdentityErrors.Forbidden, "this caller may not list stamps");
                var publicBase = address.BaseUrl;
                return Results.Ok((await stamps.ListAsync(query, ct)).Select(s => StampResponse.From(s, publicBase)));
            })
            .RequireAuthorization(AccessPolicies.Authenticated)
            .WithSummary("The caller's stamps, newest first (an applicant's own, a channel's own, every stamp for an auditor); before=<created_at>, limit ≤ 200")
            .Produces<IEnumerable<StampResponse>>()
            .Problems(400, "cursor_invalid").Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);
    }

    /// <summary>A stamp the caller may see: its applicant's, its channel's, or any for an operator who reads everything. Others are "not found".</summary>
    private static async Task<StampRecord?> FindAsync(string id, Principal caller, IStampStore stamps, CancellationToken ct)
    {
        if (!PublicId.TryParse(id, out var stampId) || await stamps.GetAsync(stampId, ct) is not { } s) return null;
        return caller.ReadsEverything || (caller.IsApplicant && s.ApplicantId == caller.Id) || (caller.IsChannel && s.ChannelId == caller.Id) ? s : null;
    }

    private static IResult NotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, StampErrors.NotFound, "no such stamp for this caller");

    internal static IResult Purged(StampRecord s) =>
        ApiProblem.Of(StatusCodes.Status410Gone, StampErrors.FilePurged,
            "the stamped file was kept for its retention window and is gone; the registry still binds its serial to its SHA-256",
            new Dictionary<string, object?>
            {
                ["stamp_id"] = PublicId.Format(s.Id), ["serial"] = s.Serial.Value,
                ["document_sha256"] = s.OutputSha256 is null ? null : Convert.ToHexStringLower(s.OutputSha256),
            });
}
