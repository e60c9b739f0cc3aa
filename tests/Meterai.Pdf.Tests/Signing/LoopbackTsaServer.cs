using System.Net;
using System.Net.Sockets;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>A tiny HTTP endpoint on a loopback port that answers each POST with whatever the test's handler returns.</summary>
internal sealed class LoopbackTsaServer : IAsyncDisposable
{
    public sealed record Reply(int Status, string ContentType, byte[] Body);

    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackTsaServer(Func<byte[], Reply> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                Endpoint = new Uri($"http://127.0.0.1:{port}/tsa");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Someone took the port between the probe and the bind: try another.
                CloseQuietly(listener);
            }
        }

        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                RequestContentType = context.Request.ContentType;
                var reply = handler(body.ToArray());
                context.Response.StatusCode = reply.Status;
                context.Response.ContentType = reply.ContentType;
                await context.Response.OutputStream.WriteAsync(reply.Body);
                context.Response.Close();
            }
        });
    }

    public Uri Endpoint { get; } = null!;

    public string? RequestContentType { get; private set; }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        CloseQuietly(_listener);
        await _loop;
    }

    // The managed HttpListener on Linux may re-resolve its endpoint while closing and throw "Address already in use"
    // when another test has since bound a port; the listener is gone either way, and the test's assertions have run.
    private static void CloseQuietly(HttpListener listener)
    {
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
