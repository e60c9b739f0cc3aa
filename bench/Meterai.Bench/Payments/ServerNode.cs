using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meterai.Bench.Payments;

/// <summary>
/// The real server as a child process (`dotnet Meterai.Server.dll --urls …`) on a fixed loopback port, configured through
/// environment variables, that the bench kills with SIGKILL and starts again. Its output is kept (the last lines go into
/// a failure message). The one such wrapper in the repository: the test suite's TestSupport ServerProcess adapts it.
/// </summary>
public sealed class ServerNode : IChaosServer, IDisposable
{
    private readonly string _assembly;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _workingDirectory;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();
    private Process? _process;

    public ServerNode(string serverAssembly, IReadOnlyDictionary<string, string> environment, string workingDirectory, int port = 0)
    {
        if (!File.Exists(serverAssembly)) throw new FileNotFoundException($"no server assembly at {serverAssembly}", serverAssembly);
        _assembly = Path.GetFullPath(serverAssembly);
        _environment = environment;
        _workingDirectory = workingDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{(port == 0 ? FreePort() : port)}/");
    }

    public Uri BaseAddress { get; }

    public bool IsRunning => _process is { HasExited: false };

    public int Starts { get; private set; }

    /// <summary>The server's last lines of output.</summary>
    public string Tail
    {
        get
        {
            lock (_tailLock) return string.Join('\n', _tail);
        }
    }

    public Task StartAgainAsync(CancellationToken cancellationToken) => StartAgainAsync(TimeSpan.FromSeconds(120), cancellationToken);

    /// <summary>Starts the process (again: same port, environment and folder) and waits until /health answers 200.</summary>
    public async Task StartAgainAsync(TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        if (IsRunning) throw new InvalidOperationException("the server is already running");
        Directory.CreateDirectory(_workingDirectory);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(_assembly);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        // A bench node is a development node unless told otherwise: the outbox sender, and a key-encryption key kept in
        // the working folder (outside the data folder) rather than the user's configuration folder.
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["METERAI_Secrets__KeyEncryptionKeyFile"] = Path.Combine(_workingDirectory, "secrets", "key-encryption.keys");
        foreach (var (k, v) in _environment) psi.Environment[k] = v;
        psi.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        await WaitUntilHealthyAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
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

    /// <summary>A graceful stop (SIGTERM), waiting up to 20 s for the process to exit (then SIGKILL).</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync().ConfigureAwait(false);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null) throw new InvalidOperationException("the server is not running");
            if (_process.HasExited)
            {
                _process.WaitForExit(); // its last output lines, read to the end
                throw new InvalidOperationException($"the server exited during start-up (exit code {_process.ExitCode}):\n{Tail}");
            }

            try
            {
                using var response = await http.GetAsync("health", ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"the server did not answer /health within {timeout}:\n{Tail}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tailLock)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 200) _tail.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
