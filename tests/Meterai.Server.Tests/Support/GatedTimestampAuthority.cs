using System.Net;
using System.Net.Sockets;
using Meterai.Pdf.Signing;

namespace Meterai.Server.Tests.Support;

/// <summary>
/// An RFC 3161 authority on a loopback port (<c>Signing:Timestamp=</c><see cref="Url"/>) that holds the first
/// <c>hold</c> requests until <see cref="Release"/> and answers every request with a real token from
/// <see cref="Authority"/> (set once the node that owns the key has started). A stamp waiting for its timestamp is in
/// the middle of its stamping step: this is how a test keeps a node's stamping slots busy for as long as it likes.
/// </summary>
public sealed class GatedTimestampAuthority : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _hold;
    private int _arrived;

    public GatedTimestampAuthority(int hold)
    {
        _hold = hold;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                Url = $"http://127.0.0.1:{port}/tsa";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Someone took the port between the probe and the bind: try another.
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; } = "";

    /// <summary>The authority whose tokens are handed out (the node's own development TSA).</summary>
    public TimestampAuthority? Authority { get; set; }

    /// <summary>Requests that have arrived so far (held or answered).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public void Release() => _gate.TrySetResult();

    private async Task LoopAsync()
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

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (Interlocked.Increment(ref _arrived) <= _hold) await _gate.Task;
            var reply = Authority?.Respond(body.ToArray());
            context.Response.StatusCode = reply is null ? 503 : 200;
            context.Response.ContentType = HttpTimestampClient.ResponseMediaType;
            if (reply is not null) await context.Response.OutputStream.WriteAsync(reply);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The listener closed while a request was held: the test is over.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }

        await _loop;
    }
}
