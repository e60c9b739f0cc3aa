using Meterai.PaySim;
using Meterai.PaySim.Client;

namespace Meterai.Server.Tests.Support;

/// <summary>
/// A sandbox payment provider (`meterai paysim`, in-process on loopback) for a <see cref="TestService"/>: start it, start
/// the service with <see cref="ServerSettings"/>, then <see cref="NotifyAsync"/> points its notifications at the service.
/// </summary>
public sealed class SandboxProvider : IAsyncDisposable
{
    private const string ServerKey = "test-sandbox-server-key";

    private readonly string _folder;
    private readonly PaySimServer _server;

    private SandboxProvider(string folder, PaySimServer server)
    {
        _folder = folder;
        _server = server;
    }

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The service's settings (TestService.StartAsync's "Key=value" list) that make it charge this sandbox.</summary>
    public string[] ServerSettings => [$"Payments:Provider:BaseUrl={BaseAddress}", $"Payments:Provider:ServerKey={ServerKey}", "Payments:Provider:Name=paysim"];

    public static async Task<SandboxProvider> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("meterai-sandbox-").FullName;
        var server = await PaySimServer.StartAsync(new PaySimOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = folder,
            ServerKey = ServerKey,
            RetryBase = TimeSpan.FromMilliseconds(50),
            RetryCap = TimeSpan.FromMilliseconds(500),
            OutboxPollInterval = TimeSpan.FromMilliseconds(50),
        }, _ => { }, TestContext.Current.CancellationToken);
        return new SandboxProvider(folder, server);
    }

    /// <summary>Sends the sandbox's notifications to <paramref name="service"/>'s notification endpoint.</summary>
    public async Task NotifyAsync(TestService service)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        await new PaySimClient(http).SetNotifyUrlAsync(new Uri(service.Http.BaseAddress!, "/api/v1/payments/notifications"), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
