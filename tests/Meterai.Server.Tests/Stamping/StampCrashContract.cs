using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Serials;
using Meterai.Core.Stamping;
using Meterai.Storage;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// The real server as a child process, killed at a test-only crash point in the middle of a stamp
/// (<c>Testing:CrashAfter</c>), then started again without it: a retry with the same Idempotency-Key finishes the
/// same stamp with the same serial, or — when nobody retries — the recovery worker gives the quota back.
/// </summary>
public abstract class StampCrashContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_crash_between_reserve_and_post_then_a_retry_spends_exactly_one_serial()
    {
        await using var node = await CrashNode.StartAsync(backend, "reserve");
        var world = await node.WorldAsync();
        var before = await node.IssuerAsync(world.Admin);
        var pdf = TestPdf.Create();
        await node.StampExpectingCrashAsync(world, "crash-1", pdf);

        // What the crash left: the stamp in progress, its serial reserved for its ledger reservation.
        var stampId = StampIds.For(Id(world.ChannelId), "crash-1");
        var left = await node.ReadAsync(db => db.Stamps.GetAsync(stampId, Ct));
        Assert.Equal(StampState.Processing, left!.State);
        Assert.Equal(SerialState.Reserved, (await node.ReadAsync(db => db.Serials.GetAsync(left.Serial, Ct)))!.State);

        await node.RestartAsync();
        var (response, body) = await node.RetryUntilDoneAsync(world, "crash-1", pdf);
        Assert.Equal(left.Serial.Value, response.Headers.GetValues("Meterai-Serial").Single());

        var quota = await world.QuotaAsync(node.Service);
        Assert.Equal((2L, 0L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        var after = await node.IssuerAsync(world.Admin);
        Assert.Equal(before.GetProperty("consumed").GetInt64() + 1, after.GetProperty("consumed").GetInt64());
        var serial = await node.ReadAsync(db => db.Serials.GetAsync(left.Serial, Ct));
        Assert.Equal(SerialState.Stamped, serial!.State);
        Assert.Equal(SHA256.HashData(body), serial.DocumentSha256);
        var done = await node.ReadAsync(db => db.Stamps.GetAsync(stampId, Ct));
        Assert.Equal((StampState.Completed, 1), (done!.State, done.Attempt));
        await node.AssertAuditHoldsAsync();
    }

    [Fact]
    public async Task A_crash_after_the_output_was_written_answers_the_retry_with_exactly_that_document()
    {
        await using var node = await CrashNode.StartAsync(backend, "output");
        var world = await node.WorldAsync();
        var pdf = TestPdf.Create(pages: 1);
        await node.StampExpectingCrashAsync(world, "crash-2", pdf);

        var stampId = StampIds.For(Id(world.ChannelId), "crash-2");
        var published = Directory.EnumerateFiles(node.FilesDirectory, $"{PublicIdHex(PublicId.Format(stampId))}.1.pdf", SearchOption.AllDirectories).Single();
        var written = await File.ReadAllBytesAsync(published, Ct);

        await node.RestartAsync();
        var (_, body) = await node.RetryUntilDoneAsync(world, "crash-2", pdf);
        Assert.Equal(written, body);
        var quota = await world.QuotaAsync(node.Service);
        Assert.Equal((2L, 0L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        await node.AssertAuditHoldsAsync();
    }

    [Fact]
    public async Task A_crashed_stamp_nobody_retries_is_voided_by_the_recovery_worker_and_a_later_retry_stamps_afresh()
    {
        await using var node = await CrashNode.StartAsync(backend, "reserve");
        var world = await node.WorldAsync();
        var pdf = TestPdf.Create();
        await node.StampExpectingCrashAsync(world, "crash-3", pdf);
        var stampId = StampIds.For(Id(world.ChannelId), "crash-3");
        var left = await node.ReadAsync(db => db.Stamps.GetAsync(stampId, Ct));

        await node.RestartAsync("METERAI_Stamping__RecoveryGraceSeconds=0.5", "METERAI_Stamping__RecoveryIntervalSeconds=0.2");
        var stamp = await StampFlowContract.PollAsync(node.Service, PublicId.Format(stampId), world.ChannelToken, "failed");
        Assert.Equal(StampErrors.Interrupted, stamp.GetProperty("error").GetProperty("code").GetString());
        var quota = await world.QuotaAsync(node.Service);
        Assert.Equal((3L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64()));
        Assert.Equal(SerialState.Released, (await node.ReadAsync(db => db.Serials.GetAsync(left!.Serial, Ct)))!.State);

        // The client comes back later with the same key: a new attempt, a new serial, one stamp spent.
        var (response, _) = await node.RetryUntilDoneAsync(world, "crash-3", pdf);
        Assert.NotEqual(left!.Serial.Value, response.Headers.GetValues("Meterai-Serial").Single());
        quota = await world.QuotaAsync(node.Service);
        Assert.Equal((2L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("used").GetInt64()));
        await node.AssertAuditHoldsAsync();
    }

    private static string PublicIdHex(string publicId) => publicId.Replace("-", "", StringComparison.Ordinal);

    private static UInt128 Id(string publicId) => PublicId.TryParse(publicId, out var id) ? id : throw new FormatException(publicId);

    /// <summary>One server process on the backend's database and a data folder of its own, restartable with other settings.</summary>
    private sealed class CrashNode : IAsyncDisposable
    {
        private readonly DatabaseOptions _options;
        private readonly string _folder;
        private readonly Dictionary<string, string> _environment;
        private ServerProcess _process;

        private CrashNode(DatabaseOptions options, string folder, Dictionary<string, string> environment, ServerProcess process)
        {
            _options = options;
            _folder = folder;
            _environment = environment;
            _process = process;
            Service = new RemoteService(process.BaseAddress);
        }

        public RemoteService Service { get; private set; }

        public string FilesDirectory => Path.Combine(_folder, "data", "files");

        public static async Task<CrashNode> StartAsync(DatabaseBackend backend, string crashAfter)
        {
            var baseOptions = await backend.OptionsAsync();
            var folder = Path.Combine(Path.GetTempPath(), $"meterai-crash-{Guid.NewGuid():N}");
            // SQLite: a fresh database in the node's folder; PostgreSQL: the class's database.
            var options = baseOptions.Provider == DatabaseProvider.Sqlite ? DatabaseOptions.Sqlite(Path.Combine(folder, "data")) : baseOptions;
            var environment = new Dictionary<string, string>
            {
                ["METERAI_Database__Provider"] = options.Provider.Name(),
                ["METERAI_Database__DataDirectory"] = Path.Combine(folder, "data"),
                ["METERAI_Identity__PasswordIterations"] = TestService.TestPasswordIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["METERAI_Stamping__LeaseSeconds"] = "1",
                ["METERAI_Logging__LogLevel__Default"] = "Warning",
            };
            if (options.ConnectionString is { } cs && options.Provider == DatabaseProvider.Postgres) environment["METERAI_Database__ConnectionString"] = cs;
            var process = await ServerProcess.StartAsync(new Dictionary<string, string>(environment) { ["METERAI_Testing__CrashAfter"] = crashAfter }, folder, ct: Ct);
            return new CrashNode(options, folder, environment, process);
        }

        public async Task<World> WorldAsync()
        {
            // The first operator is created in the database, as `meterai operator add` does.
            var email = $"admin.{Guid.NewGuid():N}@meterai.id";
            await using (var db = await MeteraiDatabase.OpenAsync(_options, Ct))
            {
                var access = new OperatorAccess(db.Operators, db.LoginThrottle, new PasswordHasher(TestService.TestPasswordIterations), new IdentitySettings(), SystemClock.Instance);
                var created = await access.CreateAsync(email, [OperatorRole.IssuerAdmin], "operator-password-1", Ct);
                Assert.True(created.IsOk, created.Error?.ToString());
            }

            var token = (await Service.PostJsonAsync("/api/v1/auth/operator/login", new { email, password = "operator-password-1" })).GetProperty("access_token").GetString()!;
            return await World.CreateAsync(Service, token, mint: 10, allocate: 5, sell: 3);
        }

        public async Task<JsonElement> IssuerAsync(string admin) => await Service.GetJsonAsync("/api/v1/issuer", admin);

        public async Task StampExpectingCrashAsync(World world, string key, byte[] pdf)
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => StampClient.StampAsync(Service.Http, world.ChannelToken, key, pdf, world.Fields()));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_process.IsRunning)
            {
                Assert.True(DateTime.UtcNow < deadline, "the server did not crash");
                await Task.Delay(50, Ct);
            }
        }

        public async Task RestartAsync(params string[] settings)
        {
            _process.Kill();
            var environment = new Dictionary<string, string>(_environment);
            foreach (var s in settings)
            {
                var eq = s.IndexOf('=', StringComparison.Ordinal);
                environment[s[..eq]] = s[(eq + 1)..];
            }

            Service.Dispose();
            _process = await ServerProcess.StartAsync(environment, _folder, ct: Ct);
            Service = new RemoteService(_process.BaseAddress);
        }

        /// <summary>Retries as a client should: on 409 stamp_in_progress, after Retry-After.</summary>
        public async Task<(HttpResponseMessage Response, byte[] Body)> RetryUntilDoneAsync(World world, string key, byte[] pdf)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var response = await StampClient.StampAsync(Service.Http, world.ChannelToken, key, pdf, world.Fields());
                var body = await response.Content.ReadAsByteArrayAsync(Ct);
                if (response.IsSuccessStatusCode) return (response, body);
                Assert.True(response.StatusCode == HttpStatusCode.Conflict && DateTime.UtcNow < deadline,
                    $"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}\n{_process.Log}");
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), Ct);
            }
        }

        public async Task<T> ReadAsync<T>(Func<MeteraiDatabase, Task<T>> read)
        {
            await using var db = await MeteraiDatabase.OpenAsync(_options with { Migrate = false }, Ct);
            return await read(db);
        }

        public async Task AssertAuditHoldsAsync()
        {
            var audit = await ReadAsync(db => db.AuditAsync(Ct));
            Assert.True(audit.AllHold, string.Join("; ", audit.Broken));
        }

        public async ValueTask DisposeAsync()
        {
            Service.Dispose();
            await _process.DisposeAsync();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

public sealed class SqliteStampCrashTests(SqliteBackend backend) : StampCrashContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampCrashTests(PostgresBackend backend) : StampCrashContract(backend), IClassFixture<PostgresBackend>;
