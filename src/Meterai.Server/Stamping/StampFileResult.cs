using System.Globalization;
using Meterai.Core.Common;
using Meterai.Core.Stamping;
using Meterai.Server.Files;

namespace Meterai.Server.Stamping;

/// <summary>
/// Answers a stamped PDF: from the memory this request stamped it in, or from the file store. Headers name the stamp
/// (<c>Location</c>, <c>Meterai-Stamp-Id</c>), its serial (<c>Meterai-Serial</c>) and the document's SHA-256
/// (<c>Meterai-Document-Sha256</c>); a replayed answer (a retry under the same Idempotency-Key) says so
/// (<c>Meterai-Replayed: true</c>).
/// </summary>
internal sealed class StampFileResult(StampRecord stamp, PooledBuffer? memory, StampFileStore files, int status, bool replayed) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        using var owned = memory;
        var timings = http.RequestServices.GetRequiredService<StampTimings>();
        var t = timings.Start();
        var id = PublicId.Format(stamp.Id);
        var response = http.Response;
        await using var file = memory is null ? files.OpenOutput(stamp.Id, stamp.Attempt) : null;
        if (memory is null && file is null)
        {
            await StampEndpoints.Purged(stamp).ExecuteAsync(http);
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/pdf";
        response.ContentLength = memory?.Length ?? file!.Length;
        response.Headers.Location = $"/api/v1/stamps/{id}";
        response.Headers["Meterai-Stamp-Id"] = id;
        response.Headers["Meterai-Serial"] = stamp.Serial.Value;
        if (stamp.OutputSha256 is { } sha) response.Headers["Meterai-Document-Sha256"] = Convert.ToHexStringLower(sha);
        if (replayed) response.Headers["Meterai-Replayed"] = "true";
        // Where the stamp went (the rectangle an automatic placement chose, or the one asked for) and how it was chosen.
        var placement = PlacementResponse.From(stamp.Placement);
        if (placement.Rect is { } rect) response.Headers["Meterai-Stamp-Rect"] = string.Join(',', rect.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        response.Headers["Meterai-Placement"] = placement.Fallback is { } why ? $"{placement.Mode}; fallback={why}" : placement.Mode;
        response.Headers.ContentDisposition = $"attachment; filename=\"{DownloadName(stamp)}\"";
        if (memory is not null) await response.Body.WriteAsync(memory.Memory, http.RequestAborted);
        else await file!.CopyToAsync(response.Body, 1 << 16, http.RequestAborted);
        timings.Lap(StampTimings.Step.Answer, t);
    }

    /// <summary>The upload's name with "-emeterai" before the extension, in safe characters only.</summary>
    private static string DownloadName(StampRecord s)
    {
        var stem = Path.GetFileNameWithoutExtension(s.FileName ?? "") is { Length: > 0 } n ? n : "dokumen";
        var safe = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(80).ToArray());
        return string.Create(CultureInfo.InvariantCulture, $"{safe}-emeterai-{s.Serial.Value}.pdf");
    }
}
