using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Meterai.Bench;

namespace Meterai.Cli.Attacks.Edge;

/// <summary>
/// A stamp upload sent the way a slow (or hostile) client sends it: the request head at once, then the multipart body a
/// few bytes at a time, over its own connection (plain TCP, or TLS for https targets). What the server answers, if it
/// answers before the body is done, is read alongside.
/// </summary>
internal sealed class TrickledUpload : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly byte[] _body;
    private readonly Task<string> _answer;
    private readonly CancellationTokenSource _stop = new();
    private Task? _trickle;
    private long _sent;

    private TrickledUpload(TcpClient tcp, Stream stream, byte[] body)
    {
        _tcp = tcp;
        _stream = stream;
        _body = body;
        _answer = ReadAnswerAsync();
    }

    /// <summary>Bytes of the body sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long Length => _body.Length;

    /// <summary>Completes with everything the server sent once it closed the connection (or the upload was stopped).</summary>
    public Task<string> Answer => _answer;

    /// <summary>Opens the connection and sends the head of a stamp request for a PDF of about <paramref name="bytes"/> bytes.</summary>
    public static async Task<TrickledUpload> StartAsync(Uri baseAddress, string token, string? applicantId, int bytes, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(SamplePdf.Create(text: "Unggahan lambat", padding: Math.Max(0, bytes - 2_000)));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "lambat.pdf");
        form.Add(new StringContent("surat_pernyataan"), "document_type");
        if (applicantId is not null) form.Add(new StringContent(applicantId), "applicant_id");
        var body = await form.ReadAsByteArrayAsync(ct);

        var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        Stream stream = tcp.GetStream();
        if (baseAddress.Scheme == Uri.UriSchemeHttps)
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = baseAddress.Host }, ct);
            stream = tls;
        }

        var head = $"POST {new Uri(baseAddress, "/api/v1/stamps").PathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   $"Idempotency-Key: slow-{Guid.NewGuid():N}\r\nContent-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        await stream.FlushAsync(ct);
        return new TrickledUpload(tcp, stream, body);
    }

    /// <summary>Sends the body at about <paramref name="bytesPerSecond"/> in the background, ten small writes a second.</summary>
    public void Trickle(int bytesPerSecond) => _trickle = Task.Run(async () =>
    {
        var chunk = Math.Max(1, bytesPerSecond / 10);
        try
        {
            while (Sent < _body.Length && !_answer.IsCompleted)
            {
                var n = (int)Math.Min(chunk, _body.Length - Sent);
                await _stream.WriteAsync(_body.AsMemory((int)Sent, n), _stop.Token);
                await _stream.FlushAsync(_stop.Token);
                Interlocked.Add(ref _sent, n);
                await Task.Delay(100, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the server closed the connection, or the attack is over
        }
    });

    private async Task<string> ReadAnswerAsync()
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await _stream.ReadAsync(buffer, _stop.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        if (_trickle is not null) await _trickle;
        await _answer;
        _stop.Dispose();
    }
}
