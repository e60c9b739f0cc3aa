using Meterai.Storage.Migrations;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Migrations;

/// <summary>
/// Migrations on both backends: applied once, in order, recorded; safe when several nodes start together. Each test
/// gets a fresh, empty database.
/// </summary>
public abstract class MigrationContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract DatabaseBackend FreshBackend();

    [Fact]
    public async Task Nodes_starting_together_apply_every_migration_exactly_once_and_record_it()
    {
        await using var backend = FreshBackend();
        // Six nodes open the same fresh database at the same moment.
        var nodes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => backend.OpenAsync()));
        try
        {
            var catalogue = Migration.For(backend.Provider);
            Assert.Contains(catalogue, m => m.Version == 1 && m.Name == "ledger");
            Assert.Contains(catalogue, m => m.Version == 2 && m.Name == "serials");
            var applied = await nodes[0].AppliedMigrationsAsync(Ct);
            Assert.Equal(catalogue.Select(m => (m.Version, m.Name, m.Sha256)), applied.Select(m => (m.Version, m.Name, m.Sha256)));

            // Opening again applies nothing: the records (and their times) do not change.
            await using (var again = await backend.OpenAsync())
            {
                Assert.Equal(applied, await again.AppliedMigrationsAsync(Ct));
            }

            Assert.Equal(catalogue.Count, await backend.ExecuteRawAsync("UPDATE schema_migrations SET name = name"));
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_stops_the_start()
    {
        await using var backend = FreshBackend();
        await using (await backend.OpenAsync())
        {
        }

        await backend.ExecuteRawAsync("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.OpenAsync());
        Assert.Contains("0001_ledger", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Migration_files_are_numbered_within_the_ledger_block_and_exist_for_both_backends()
    {
        var sqlite = Migration.For(DatabaseProvider.Sqlite).Where(m => m.Version < 100).Select(m => (m.Version, m.Name));
        var postgres = Migration.For(DatabaseProvider.Postgres).Where(m => m.Version < 100).Select(m => (m.Version, m.Name));
        Assert.Equal(sqlite, postgres);
    }
}

public sealed class SqliteMigrationTests : MigrationContract
{
    protected override DatabaseBackend FreshBackend() => new SqliteBackend();
}

public sealed class PostgresMigrationTests : MigrationContract
{
    protected override DatabaseBackend FreshBackend() => new PostgresBackend();
}
