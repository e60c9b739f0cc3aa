using System.Net.Sockets;
using System.Text;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Api;

/// <summary>
/// Issue 10, item 6: an upload that trickles in (about 500 B/s, the attack's rate) is cut off by the node's minimum
/// body rate (<c>Api:MinRequestBodyBytesPerSecond</c>) with 408 <c>request_body_too_slow</c>, long before it would
/// have finished, instead of holding a connection and an upload for as long as the client likes.
/// </summary>
public sealed class SlowClientTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_slower_than_the_minimum_rate_is_cut_off_with_a_problem_before_it_finishes()
    {
        await using var service = await TestService.StartAsync(backend, null, "Api:MinRequestBodyBytesPerSecond=2048", "Api:MinDataRateGraceSeconds=2");
        var (token, _) = await service.ApplicantAsync();
        using var form = StampClient.Form(TestPdf.Create(padding: 6_000));
        var body = await form.ReadAsByteArrayAsync(Ct);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(service.Http.BaseAddress!.Host, service.Http.BaseAddress.Port, Ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = $"POST /api/v1/stamps HTTP/1.1\r\nHost: {service.Http.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   $"Idempotency-Key: slow-1\r\nContent-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var answer = ReadAnswerAsync(stream);

        // 50 bytes every 100 ms: the whole body would take about 20 s.
        var sent = 0;
        while (sent < body.Length && !answer.IsCompleted)
        {
            var n = Math.Min(50, body.Length - sent);
            try
            {
                await stream.WriteAsync(body.AsMemory(sent, n), Ct);
            }
            catch (IOException)
            {
                break; // the node closed the connection: the answer (if any) is already on its way
            }

            sent += n;
            await Task.Delay(100, Ct);
        }

        var text = await answer;
        Assert.True(sent < body.Length, $"the whole slow upload was accepted: {text}");
        Assert.StartsWith("HTTP/1.1 408", text, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request_body_too_slow\"", text, StringComparison.Ordinal);
    }

    /// <summary>Everything the node sends until it closes the connection.</summary>
    private static async Task<string> ReadAnswerAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, Ct)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // a reset after the answer
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }
}
