namespace Meterai.TestSupport;

/// <summary>
/// What scripts/test.sh hands to the tests. Run directly with `dotnet test` (a developer's laptop), the PostgreSQL
/// half and the corpus half are skipped when absent; under the script or CI they are required and their absence fails.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Connection string of the throwaway PostgreSQL cluster (its maintenance database).</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("METERAI_TEST_PG");

    public static bool PostgresRequired => IsSet("METERAI_REQUIRE_PG") || IsCi;

    public static bool CorpusRequired => IsSet("METERAI_REQUIRE_CORPUS") || IsCi;

    public static bool IsCi => IsSet("METERAI_CI") || IsSet("CI");

    /// <summary>The repository root: the folder holding Meterai.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared/corpus/public from the repository root, or null when absent.</summary>
    public static string? CorpusDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("METERAI_CORPUS")
                      ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus", "public"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>Skips the calling test when PostgreSQL is absent on a laptop; fails it where PostgreSQL is required.</summary>
    public static string RequirePostgres()
    {
        var cs = PostgresConnectionString;
        if (!string.IsNullOrEmpty(cs)) return cs;
        if (PostgresRequired) Assert.Fail("PostgreSQL is required here (METERAI_REQUIRE_PG or CI) but METERAI_TEST_PG is not set: scripts/test.sh could not start it.");
        Assert.Skip("PostgreSQL not available: run scripts/test.sh to start a throwaway cluster.");
        return null!;
    }

    /// <summary>Skips the calling test when the shared corpus is absent on a laptop; fails it in CI.</summary>
    public static string RequireCorpus()
    {
        var dir = CorpusDirectory;
        if (dir is not null) return dir;
        if (CorpusRequired) Assert.Fail("The shared corpus (../shared/corpus/public) is required here but absent.");
        Assert.Skip("Shared corpus not present (../shared/corpus/public): corpus tests skipped.");
        return null!;
    }

    private static bool IsSet(string name)
    {
        var v = Environment.GetEnvironmentVariable(name);
        return !string.IsNullOrEmpty(v) && v != "0" && !v.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Meterai.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
