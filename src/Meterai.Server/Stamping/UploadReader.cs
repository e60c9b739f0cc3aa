using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Meterai.Pdf;
using Meterai.Server.Api;
using Meterai.Server.Files;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Meterai.Server.Stamping;

/// <summary>What a multipart request held: its small text fields and its one PDF, or why it was refused.</summary>
public sealed class UploadResult : IDisposable
{
    public StampUpload? Upload { get; init; }

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public IResult? Problem { get; init; }

    public void Dispose() => Upload?.Dispose();
}

/// <summary>
/// Reads <c>multipart/form-data</c> with one PDF part named <c>file</c> and a few text fields, streaming: the file is
/// hashed as it arrives, kept in pooled memory up to <c>Stamping:MemoryUploadBytes</c> (1 MiB) and spilled to a
/// temporary file in the file store beyond, and refused the moment it passes <c>Api:MaxUploadBytes</c> (20 MiB,
/// 413 <c>file_too_large</c>). The content is sniffed (<c>%PDF-</c> within the first 1024 bytes), never trusted from a
/// part's Content-Type or file name. Codes: <c>unsupported_media_type</c> (415, not multipart), <c>multipart_invalid</c>,
/// <c>file_missing</c>, <c>file_empty</c>, <c>field_too_long</c> (400), <c>not_a_pdf</c> (415).
/// </summary>
public sealed class UploadReader(StampFileStore files, IConfiguration configuration)
{
    public const string FileField = "file";
    private const int MaxSections = 32;
    private const int MaxFieldBytes = 4096;
    private const int SniffBytes = 1024;

    public long MaxFileBytes { get; } = ApiConventions.MaxUploadBytes(configuration);

    public int MemoryBytes { get; } = configuration.GetValue("Stamping:MemoryUploadBytes", 1024 * 1024);

    public async Task<UploadResult> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Refused(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "send multipart/form-data with the PDF in a part named \"file\"");
        }

        // Sized for the usual half a dozen fields at once: growing it by steps cost three arrays a request.
        var fields = new Dictionary<string, string>(12, StringComparer.Ordinal);
        StampUpload? upload = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            for (var sections = 0; ; sections++)
            {
                var section = await reader.ReadNextSectionAsync(ct);
                if (section is null) break;
                if (sections >= MaxSections) return Cleanup(upload, Refused(400, "multipart_invalid", $"at most {MaxSections} parts"));
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data")
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    return Cleanup(upload, Refused(400, "multipart_invalid", "every part needs Content-Disposition: form-data; name=\"…\""));
                }

                if (name == FileField)
                {
                    if (upload is not null) return Cleanup(upload, Refused(400, "multipart_invalid", "send exactly one part named \"file\""));
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    var (read, problem) = await ReadFileAsync(section.Body, fileName, request.ContentLength, ct);
                    if (problem is not null) return problem;
                    upload = read;
                    continue;
                }

                var value = await ReadFieldAsync(section.Body, ct);
                if (value is null) return Cleanup(upload, Refused(400, "field_too_long", $"the field \"{name}\" is longer than {MaxFieldBytes} bytes", name));
                fields[name] = value;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !ct.IsCancellationRequested && e is not BadHttpRequestException)
        {
            return Cleanup(upload, Refused(400, "multipart_invalid", "the multipart body is malformed: " + e.Message));
        }

        if (upload is null) return Refused(400, "file_missing", "the request has no part named \"file\" holding the PDF");
        return new UploadResult { Upload = upload, Fields = fields };
    }

    private async Task<(StampUpload? Upload, UploadResult? Problem)> ReadFileAsync(Stream body, string? fileName, long? requestLength, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var memory = new PooledBuffer((int)Math.Clamp(requestLength ?? 64 * 1024, 4096, MemoryBytes));
        FileStream? spill = null;
        string? spillPath = null;
        long total = 0;
        var sniffed = false;
        try
        {
            while (true)
            {
                var n = await body.ReadAsync(chunk.AsMemory(), ct);
                if (n == 0) break;
                total += n;
                if (total > MaxFileBytes)
                {
                    return (null, Refused(StatusCodes.Status413PayloadTooLarge, "file_too_large", $"the PDF is larger than {MaxFileBytes / (1024 * 1024)} MiB"));
                }

                hash.AppendData(chunk, 0, n);
                if (spill is null && total > MemoryBytes)
                {
                    spillPath = files.NewTempPath();
                    var spillOptions = Storage.Secrets.DataFolder.CreateFileOptions();
                    spillOptions.BufferSize = 0;
                    spillOptions.Options = FileOptions.Asynchronous;
                    spill = new FileStream(spillPath, spillOptions);
                    await spill.WriteAsync(memory.Memory, ct);
                }

                if (spill is not null) await spill.WriteAsync(chunk.AsMemory(0, n), ct);
                else memory.Write(chunk, 0, n);

                if (!sniffed && total >= SniffBytes)
                {
                    sniffed = true;
                    if (!LooksLikePdf(spill is null ? memory.Memory.Span : chunk.AsSpan(0, Math.Min(n, SniffBytes)))) return (null, NotAPdf());
                }
            }

            if (total == 0) return (null, Refused(400, "file_empty", "the PDF part is empty"));
            if (!sniffed && !LooksLikePdf(memory.Memory.Span)) return (null, NotAPdf());
            var sha = hash.GetHashAndReset();
            if (spill is null)
            {
                var upload = StampUpload.Memory(memory, sha, fileName);
                memory = null!;
                return (upload, null);
            }

            await files.SyncAsync(spill);
            await spill.DisposeAsync();
            spill = null;
            var spilled = StampUpload.File(spillPath!, total, sha, fileName);
            spillPath = null;
            return (spilled, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            memory?.Dispose();
            if (spill is not null) await spill.DisposeAsync();
            if (spillPath is not null) File.Delete(spillPath);
        }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        // Pooled: a request has half a dozen fields of a few bytes each, and a fresh 4 KiB array for each was a tenth
        // of what a stamp allocated.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxFieldBytes + 1);
        try
        {
            var total = 0;
            while (total <= MaxFieldBytes)
            {
                var n = await body.ReadAsync(buffer.AsMemory(total, MaxFieldBytes + 1 - total), ct);
                if (n == 0) return Encoding.UTF8.GetString(buffer, 0, total);
                total += n;
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The PDF header may follow some junk (§7.5.2 tolerance, as readers allow), but within the first 1024 bytes.</summary>
    public static bool LooksLikePdf(ReadOnlySpan<byte> head) => head[..Math.Min(head.Length, SniffBytes)].IndexOf("%PDF-"u8) >= 0;

    private static UploadResult NotAPdf() => Refused(StatusCodes.Status415UnsupportedMediaType, PdfErrorCodes.NotAPdf, "the file is not a PDF (no %PDF- header in its first 1024 bytes)");

    private static UploadResult Refused(int status, string code, string detail, string? field = null) =>
        new() { Problem = ApiProblem.Of(status, code, detail, field is null ? null : new Dictionary<string, object?> { ["field"] = field }) };

    private static UploadResult Cleanup(StampUpload? upload, UploadResult result)
    {
        upload?.Dispose();
        return result;
    }
}
