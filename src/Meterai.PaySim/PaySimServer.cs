using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meterai.PaySim;

/// <summary>
/// A running sandbox: started in-process by tests and by `meterai paysim`. Disposing it stops it and lets go of its
/// data folder; starting another on the same folder continues where it left off (the outbox included).
/// </summary>
public sealed class PaySimServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PaySimServer(WebApplication app, Uri baseAddress, PaySimOptions options)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:5090/ (the real port when started with port 0).</summary>
    public Uri BaseAddress { get; }

    public PaySimOptions Options { get; }

    public static async Task<PaySimServer> StartAsync(PaySimOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var app = PaySimHost.Build(options, logging);
        await app.StartAsync(cancellationToken);
        var url = app.Urls.First();
        return new PaySimServer(app, new Uri(url.EndsWith('/') ? url : url + "/"), options);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
