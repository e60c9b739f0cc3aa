using Meterai.Cli.Attacks;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Attacks;

/// <summary>
/// The whole attack set of `meterai attack` (docs/threat-model.md) against a real node on each backend: every attack
/// must be held. Each attack also has its own focused regression test next to the code it exercises; this run proves
/// the set the command runs is the set that holds.
/// </summary>
public abstract class AttackSetContract(DatabaseBackend backend)
{
    [Fact]
    public async Task Every_attack_in_the_set_is_held()
    {
        // The payments attacks pay orders at the sandbox the node charges (that is how they get a signed notification).
        // Edge attacks (item 6): a node with few stamping slots, so the default 12 slow uploads outnumber them, and a short
        // grace before the minimum body rate applies, so the trickled upload is cut off within seconds.
        await using var sandbox = await SandboxProvider.StartAsync();
        await using var service = await TestService.StartAsync(backend, null, [.. sandbox.ServerSettings, "Stamping:MaxInFlight=8", "Api:MinDataRateGraceSeconds=2"]);
        await sandbox.NotifyAsync(service);
        var (email, password) = await service.OperatorAsync("issuer_admin");
        using var target = new AttackTarget(service.Http.BaseAddress!, new OperatorCredentials(email, password), new RecordedCodes(service.Codes), service.DataDirectory)
        {
            PaymentSandbox = sandbox.BaseAddress,
        };
        var results = await AttackRun.RunAsync(target, AttackCatalog.All, null, TestContext.Current.CancellationToken);

        Assert.NotEmpty(results);
        var notHeld = results.Where(r => r.Outcome.Verdict != AttackVerdict.Held).Select(r => $"{r.Attack.Id}: {r.Outcome.Verdict} {r.Outcome.Evidence}").ToList();
        Assert.True(notHeld.Count == 0, string.Join("\n", notHeld) + "\n" + service.Logs);
    }

    [Fact]
    public void Attack_ids_are_unique_and_every_attack_names_its_item()
    {
        Assert.Equal(AttackCatalog.All.Count, AttackCatalog.All.Select(a => a.Id).Distinct().Count());
        Assert.All(AttackCatalog.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Item) || string.IsNullOrWhiteSpace(a.Description), a.Id));
    }

    private sealed class RecordedCodes(RecordingCodeSender sender) : IOneTimeCodeSource
    {
        public Task<string?> LatestCodeAsync(string contact, CancellationToken ct) =>
            Task.FromResult(sender.Sent.LastOrDefault(m => m.To.Value == contact)?.Code);
    }
}

public sealed class SqliteAttackSetTests(SqliteBackend backend) : AttackSetContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresAttackSetTests(PostgresBackend backend) : AttackSetContract(backend), IClassFixture<PostgresBackend>;
