using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Simulation;

/// <summary>
/// ≥ 100,000 random ledger operations per backend (<see cref="LedgerSimulationRun"/>). Reproduce a failure with the
/// seed it prints: <c>METERAI_SIM_SEED=1234 dotnet test tests/Meterai.Storage.Tests --filter LedgerSimulation</c>;
/// <c>METERAI_SIM_OPERATIONS</c> changes the length (a longer soak is the same test with a larger number).
/// </summary>
public abstract class LedgerSimulation(DatabaseBackend backend)
{
    public const int DefaultOperations = 100_000;

    [Fact(Timeout = 15 * 60 * 1000)]
    public async Task Random_operations_with_concurrency_and_crashes_keep_every_invariant_and_match_the_model()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("METERAI_SIM_SEED"), out var s) ? s : Random.Shared.Next();
        var operations = int.TryParse(Environment.GetEnvironmentVariable("METERAI_SIM_OPERATIONS"), out var n) ? n : DefaultOperations;
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{backend.Provider} simulation, seed {seed} (METERAI_SIM_SEED={seed} reproduces it), {operations:N0} operations");
        try
        {
            await new LedgerSimulationRun(backend, seed, operations, line => output?.WriteLine(line)).RunAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"simulation failed, seed {seed}: rerun with METERAI_SIM_SEED={seed}\n{e}");
        }
    }
}

public sealed class SqliteLedgerSimulation(SqliteBackend backend) : LedgerSimulation(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresLedgerSimulation(PostgresBackend backend) : LedgerSimulation(backend), IClassFixture<PostgresBackend>;
