namespace Meterai.Storage;

/// <summary>Which database backs the stores. SQLite is the embedded default; PostgreSQL is for production and several nodes.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseProviderNames
{
    /// <summary>Parses "sqlite" or "postgres" (also "postgresql", any case); null for anything else.</summary>
    public static DatabaseProvider? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "pg" => DatabaseProvider.Postgres,
        _ => null,
    };

    public static string Name(this DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
}
