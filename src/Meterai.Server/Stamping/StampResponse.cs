using Meterai.Core.Common;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;

namespace Meterai.Server.Stamping;

public sealed record StampDocumentResponse(string Type, string? TypeName, string? Number, DateOnly? Date, long? Value);

public sealed record StampErrorResponse(string Code, string? Message, bool Retryable);

public sealed record StampLinks(string Self, string File, string Verify);

/// <summary>
/// Where the stamp is: <c>mode</c> <c>rect</c> (the caller's rectangle) or <c>auto</c> (chosen: <c>rect</c> is null until
/// the stamp is made); <c>fallback</c> says why an automatic placement kept the usual place (<c>page_full</c>,
/// <c>work_limit</c>, <c>content_unreadable</c>), null when the rectangle covers no ink.
/// </summary>
public sealed record PlacementResponse(string Mode, int Page, double[]? Rect, string? Fallback)
{
    public static PlacementResponse From(StampPlacement p) => new(
        p.IsAutomatic ? "auto" : "rect",
        p.Page,
        p.IsUnchosen ? null : [p.X1, p.Y1, p.X2, p.Y2],
        p.Auto is { } a && a != StampPlacement.FreeSpot ? a : null);
}

/// <summary>A stamp request as its caller (or an auditor) sees it.</summary>
public sealed record StampResponse(
    string Id,
    string State,
    string Serial,
    string ApplicantId,
    string ChannelId,
    StampDocumentResponse Document,
    int Page,
    string? FileName,
    long InputBytes,
    string InputSha256,
    string? OutputSha256,
    long? OutputBytes,
    DateTimeOffset? StampedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? FileExpiresAt,
    bool FileAvailable,
    bool Job,
    StampErrorResponse? Error,
    StampLinks Links,
    PlacementResponse Placement)
{
    public static StampResponse From(StampRecord s, string publicBaseUrl)
    {
        var id = PublicId.Format(s.Id);
        var type = DocumentTypes.Find(s.Document.TypeCode);
        return new StampResponse(id, s.State.ToString().ToLowerInvariant(), s.Serial.Value, PublicId.Format(s.ApplicantId), PublicId.Format(s.ChannelId),
            new StampDocumentResponse(s.Document.TypeCode, type?.NameId, s.Document.Number, s.Document.Date, s.Document.Value), s.Placement.Page, s.FileName,
            s.InputBytes, Convert.ToHexStringLower(s.InputSha256), s.OutputSha256 is null ? null : Convert.ToHexStringLower(s.OutputSha256), s.OutputBytes,
            s.StampedAt, s.CreatedAt, s.CompletedAt, s.FileExpiresAt, s.State == StampState.Completed && s.FilePurgedAt is null, s.IsJob,
            s.ErrorCode is null ? null : new StampErrorResponse(s.ErrorCode, s.ErrorMessage, s.ErrorRetryable),
            new StampLinks($"/api/v1/stamps/{id}", $"/api/v1/stamps/{id}/file", VerifyAddress.For(publicBaseUrl, s.Serial)),
            PlacementResponse.From(s.Placement));
    }
}
