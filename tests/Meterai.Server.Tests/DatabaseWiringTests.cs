using System.Net;
using System.Text.Json;
using Meterai.Core.Ledger;
using Meterai.Storage;
using Meterai.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Meterai.Server.Tests;

public class DatabaseWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void An_unknown_database_provider_stops_the_start_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, "--Database:Provider=mysql"]));
        Assert.Contains("Database:Provider 'mysql'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, "--Database:Provider=postgres"]));
        Assert.Contains("ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_under_the_configured_data_directory_is_created_migrated_and_swept()
    {
        var dir = Path.Combine(Path.GetTempPath(), "meterai-server-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, $"--Database:DataDirectory={dir}", "--Ledger:SweepIntervalSeconds=0.1"]))
            {
                await app.StartAsync(Ct);
                Assert.True(File.Exists(Path.Combine(dir, DatabaseOptions.SqliteFileName)));
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                var health = await http.GetAsync("/health", Ct);
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("sqlite", JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("database").GetString());
                await AssertTheSweeperExpiresAsync(app.Services.GetRequiredService<ILedgerStore>());
                await app.StopAsync(Ct);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_health_turns_503_with_a_code_when_the_database_goes_away()
    {
        await using var pg = await PostgresDatabase.CreateAsync("server");
        var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, "--Database:Provider=postgres", $"--Database:ConnectionString={pg.ConnectionString}", "--Ledger:SweepIntervalSeconds=0.1"]);
        await using (app)
        {
            await app.StartAsync(Ct);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", Ct)).StatusCode);
            await AssertTheSweeperExpiresAsync(app.Services.GetRequiredService<ILedgerStore>());

            await using (var admin = new NpgsqlConnection(TestEnvironment.RequirePostgres()))
            {
                await admin.OpenAsync(Ct);
                await using var drop = new NpgsqlCommand($"DROP DATABASE \"{pg.Name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync(Ct);
            }

            var health = await http.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("database_unavailable", JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());
            await app.StopAsync(Ct);
        }
    }

    /// <summary>A reservation with a one-second timeout is voided by the hosted sweeper, without anyone asking.</summary>
    private static async Task AssertTheSweeperExpiresAsync(ILedgerStore ledger)
    {
        var user = LedgerId.New();
        Assert.All(await ledger.CreateAccountsAsync([new NewAccount(user, OwnerKind.User, 1, AccountCode.UserQuota, AccountFlags.DebitsMustNotExceedCredits)], Ct),
            r => Assert.True(r.IsCommitted()));
        var pending = new Transfer(LedgerId.New(), user, SystemAccounts.Consumed.Id, 1, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: 1);
        Assert.Equal([TransferResult.Ok, TransferResult.Ok], await ledger.CreateTransfersAsync(
            [new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, user, 1, TransferCode.Mint), pending], Ct));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ledger.LookupTransfersAsync([pending.Id], Ct))[0].PendingState == PendingState.Pending)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hosted sweeper never expired the reservation");
            await Task.Delay(100, Ct);
        }

        Assert.Equal(PendingState.Expired, (await ledger.LookupTransfersAsync([pending.Id], Ct))[0].PendingState);
    }
}
