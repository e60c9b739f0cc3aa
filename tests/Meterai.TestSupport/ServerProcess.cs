using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meterai.TestSupport;

/// <summary>
/// The real server as a child process (`dotnet Meterai.Server.dll`), for tests that must kill it like a crash does
/// (SIGKILL, no shutdown hooks) and start it again on the same database and data folder. The test project must
/// reference src/Meterai.Server so the server's assembly sits next to the test assembly.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly object _logLock = new();
    private Process? _process;

    private ServerProcess(IReadOnlyDictionary<string, string> environment, string workingDirectory, int port)
    {
        Environment = environment;
        WorkingDirectory = workingDirectory;
        Port = port;
    }

    /// <summary>Configuration handed to the server as environment variables (e.g. METERAI_Database__Provider).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string WorkingDirectory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the server wrote to stdout and stderr so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_logLock) return _log.ToString();
        }
    }

    /// <summary>Starts the server on a free loopback port and waits until /health answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan? readyTimeout = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(workingDirectory);
        var server = new ServerProcess(environment, workingDirectory, FreePort());
        await server.StartAgainAsync(readyTimeout, ct);
        return server;
    }

    /// <summary>Starts the process again (same port, environment and folder) after <see cref="Kill"/> or <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync(TimeSpan? readyTimeout = null, CancellationToken ct = default)
    {
        if (IsRunning) throw new InvalidOperationException("the server is already running");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ServerAssembly());
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in Environment) psi.Environment[key] = value;
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilHealthyAsync(readyTimeout ?? TimeSpan.FromSeconds(60), ct);
    }

    /// <summary>SIGKILL: the process gets no chance to finish requests, flush or dispose anything.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    /// <summary>A graceful stop (SIGTERM), waiting for the process to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await term!.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"the server exited during start-up:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync("/health", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"the server did not answer /health within {timeout}:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock) _log.AppendLine(line);
    }

    private static string ServerAssembly()
    {
        var next = Path.Combine(AppContext.BaseDirectory, "Meterai.Server.dll");
        if (File.Exists(next)) return next;
        throw new FileNotFoundException("Meterai.Server.dll is not next to the test assembly: reference src/Meterai.Server from the test project");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
