using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Storage;
using Meterai.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Meterai.Server.Tests.Support;

/// <summary>
/// The real service on real Kestrel (loopback, free port) over one of the test database backends, with a recording
/// one-time code sender. Start several on the same backend to get several nodes.
/// </summary>
public sealed class TestService : ApiClient, IAsyncDisposable
{
    /// <summary>Low enough to keep the suite quick; the hashing itself is tested with its own parameters.</summary>
    public const int TestPasswordIterations = 5_000;

    private TestService(WebApplication app, RecordingCodeSender codes, string dataDirectory, CapturedLogs logs)
        : base(new Uri(app.Urls.First()))
    {
        Logs = logs;
        App = app;
        Codes = codes;
        DataDirectory = dataDirectory;
    }

    /// <summary>The public address a Production test node is given (its QR codes and links point there).</summary>
    public const string TestPublicBaseUrl = "https://meterai.test";

    public WebApplication App { get; }

    public RecordingCodeSender Codes { get; }

    /// <summary>The service's warnings and errors so far.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The node's data folder (development keys, stamped files).</summary>
    public string DataDirectory { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public MeteraiDatabase Database => Service<MeteraiDatabase>();

    /// <summary>A node in the Production environment (what tests exercise unless they say otherwise) with a recording code sender and the test key-encryption key.</summary>
    public static Task<TestService> StartAsync(DatabaseBackend backend, string? dataDirectory = null, params string[] settings) =>
        StartAsync(backend, null, dataDirectory, recordCodes: true, settings);

    /// <summary>As <see cref="StartAsync(DatabaseBackend, string?, string[])"/>, with the node's clock replaced (null: the system clock): for delays a test moves by hand.</summary>
    public static Task<TestService> StartWithClockAsync(DatabaseBackend backend, IClock? clock, string? dataDirectory = null, params string[] settings) =>
        StartAsync(backend, clock, dataDirectory, recordCodes: true, settings);

    /// <summary>
    /// A node with the code sender its configuration chooses (SMTP, SMS gateway, or in Development the outbox file),
    /// not the recorder: <see cref="Codes"/> stays empty.
    /// </summary>
    public static Task<TestService> StartWithOwnSenderAsync(DatabaseBackend backend, string? dataDirectory = null, params string[] settings) =>
        StartAsync(backend, null, dataDirectory, recordCodes: false, settings);

    private static async Task<TestService> StartAsync(DatabaseBackend backend, IClock? clock, string? dataDirectory, bool recordCodes, string[] settings)
    {
        var options = await backend.OptionsAsync();
        var data = dataDirectory ?? (options.Provider == DatabaseProvider.Sqlite ? options.DataDirectory : Path.Combine(Path.GetTempPath(), "meterai-node-" + Guid.NewGuid().ToString("N")));
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--Database:Provider={options.Provider.Name()}",
            $"--Database:DataDirectory={data}",
            $"--Identity:PasswordIterations={TestPasswordIterations}",
            "--Logging:LogLevel:Default=Warning",
            "--" + TestSecrets.Setting,
        };
        if (options.Provider == DatabaseProvider.Postgres) args.Add($"--Database:ConnectionString={options.ConnectionString}");
        // Production needs the public address the QR codes point at; a test that sets its own (or runs Development) says so.
        if (!settings.Any(s => s.StartsWith(Meterai.Server.Stamping.PublicAddress.Setting + "=", StringComparison.Ordinal) || s.StartsWith("environment=", StringComparison.Ordinal)))
        {
            args.Add($"--{Meterai.Server.Stamping.PublicAddress.Setting}={TestPublicBaseUrl}");
        }

        args.AddRange(settings.Select(s => "--" + s));
        var codes = new RecordingCodeSender();
        var logs = new CapturedLogs();
        var app = ServerHost.Build([.. args], services =>
        {
            if (recordCodes) services.AddSingleton<IOneTimeCodeSender>(codes);
            if (clock is not null) services.AddSingleton(clock);
        });
        app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestService(app, codes, data, logs);
    }

    /// <summary>Creates an operator directly in the database (what `meterai operator add` does) and logs it in over HTTP.</summary>
    public async Task<string> OperatorTokenAsync(params string[] roles)
    {
        var (email, password) = await OperatorAsync(roles);
        var token = await PostJsonAsync("/api/v1/auth/operator/login", new { email, password });
        return token.GetProperty("access_token").GetString()!;
    }

    /// <summary>Creates an operator directly in the database (what `meterai operator add` does); returns its credentials.</summary>
    public async Task<(string Email, string Password)> OperatorAsync(params string[] roles)
    {
        var email = $"op.{Guid.NewGuid():N}@meterai.id";
        const string password = "operator-password-1";
        var access = new OperatorAccess(Database.Operators, Database.LoginThrottle, new PasswordHasher(TestPasswordIterations), new IdentitySettings(), SystemClock.Instance);
        var created = await access.CreateAsync(email, roles, password);
        Assert.True(created.IsOk, created.Error?.ToString());
        return (email, password);
    }

    /// <summary>Registers an applicant and completes the code step; returns (token, applicant id).</summary>
    public async Task<(string Token, string Id)> ApplicantAsync(string? contact = null, string password = "kata-sandi-panjang")
    {
        contact ??= $"pelamar.{Guid.NewGuid():N}@contoh.id";
        var sent = await PostJsonAsync("/api/v1/applicants", new { contact, password });
        var code = Codes.LastCodeFor(contact.ToLowerInvariant());
        var token = await PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = sent.GetProperty("challenge_id").GetString(), code });
        return (token.GetProperty("access_token").GetString()!, token.GetProperty("principal").GetProperty("id").GetString()!);
    }

    protected override string Diagnostics => Logs.ToString();

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}

public static class ProblemAssert
{
    /// <summary>Asserts an RFC 9457 problem with this status and code, and returns its body.</summary>
    public static async Task<JsonElement> IsAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("correlation_id").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // never a stack trace
        return body;
    }
}
