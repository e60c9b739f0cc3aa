using Meterai.Bench.Payments;

namespace Meterai.TestSupport;

/// <summary>
/// The real server as a child process (`dotnet Meterai.Server.dll`), for tests that must kill it like a crash does
/// (SIGKILL, no shutdown hooks) and start it again on the same database and data folder: the bench's
/// <see cref="ServerNode"/> with the server assembly found next to the test assembly (the test project must reference
/// src/Meterai.Server).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ServerNode _node;

    private ServerProcess(ServerNode node, IReadOnlyDictionary<string, string> environment)
    {
        _node = node;
        Environment = environment;
    }

    /// <summary>Configuration handed to the server as environment variables (e.g. METERAI_Database__Provider).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public Uri BaseAddress => _node.BaseAddress;

    public bool IsRunning => _node.IsRunning;

    /// <summary>The process as the payments chaos scenario's crash target.</summary>
    public IChaosServer Node => _node;

    /// <summary>The server's last lines of output, for failure messages.</summary>
    public string Log => _node.Tail;

    /// <summary>Starts the server on a free loopback port and waits until /health answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan? readyTimeout = null, CancellationToken ct = default)
    {
        // A test node: the Development environment (its outbox sender) with the test key-encryption key, unless the test says otherwise.
        var settings = new Dictionary<string, string>(environment);
        settings.TryAdd("ASPNETCORE_ENVIRONMENT", "Development");
        settings.TryAdd("METERAI_Secrets__KeyEncryptionKey", TestSecrets.KeyEncryptionKey);
        var node = new ServerNode(ServerAssembly(), settings, workingDirectory);
        // Outside Development the server refuses to start without its public address: give it the one it listens on
        // (the node reads the settings when it starts the process).
        if (settings["ASPNETCORE_ENVIRONMENT"] != "Development") settings.TryAdd("METERAI_Stamping__PublicBaseUrl", node.BaseAddress.ToString().TrimEnd('/'));
        var server = new ServerProcess(node, settings);
        await server.StartAgainAsync(readyTimeout, ct);
        return server;
    }

    /// <summary>Starts the process again (same port, environment and folder) after <see cref="Kill"/> or <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync(TimeSpan? readyTimeout = null, CancellationToken ct = default) =>
        _node.StartAgainAsync(readyTimeout ?? TimeSpan.FromSeconds(60), ct);

    /// <summary>SIGKILL: the process gets no chance to finish requests, flush or dispose anything.</summary>
    public void Kill() => _node.Kill();

    /// <summary>A graceful stop (SIGTERM), waiting for the process to exit.</summary>
    public Task StopAsync() => _node.StopAsync();

    public ValueTask DisposeAsync()
    {
        _node.Kill();
        return ValueTask.CompletedTask;
    }

    private static string ServerAssembly()
    {
        var next = Path.Combine(AppContext.BaseDirectory, "Meterai.Server.dll");
        if (File.Exists(next)) return next;
        throw new FileNotFoundException("Meterai.Server.dll is not next to the test assembly: reference src/Meterai.Server from the test project");
    }
}
