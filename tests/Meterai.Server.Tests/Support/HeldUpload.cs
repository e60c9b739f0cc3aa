using System.Net;
using System.Net.Http.Headers;

namespace Meterai.Server.Tests.Support;

/// <summary>
/// A request body that sends its first half at once, then waits for a gate before the rest: an upload that is still
/// arriving for as long as the test likes (a slow client, without the test depending on timing).
/// </summary>
public sealed class HeldUpload : HttpContent
{
    private readonly byte[] _body;
    private readonly Task _gate;

    public HeldUpload(byte[] body, MediaTypeHeaderValue contentType, Task gate)
    {
        _body = body;
        _gate = gate;
        Headers.ContentType = contentType;
    }

    /// <summary>Serialises a multipart form once and holds its second half behind <paramref name="gate"/>.</summary>
    public static async Task<HeldUpload> OfAsync(MultipartFormDataContent form, Task gate) =>
        new(await form.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), form.Headers.ContentType!, gate);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = _body.Length / 2;
        await stream.WriteAsync(_body.AsMemory(0, half));
        await stream.FlushAsync();
        await _gate;
        await stream.WriteAsync(_body.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
