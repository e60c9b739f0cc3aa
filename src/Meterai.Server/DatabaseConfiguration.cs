using Meterai.Storage;

namespace Meterai.Server;

/// <summary>
/// Reads the database settings: <c>Database:Provider</c> (sqlite, the default, or postgres),
/// <c>Database:ConnectionString</c> (required for postgres), <c>Database:DataDirectory</c> (sqlite, default ./data).
/// From the environment: <c>METERAI_Database__Provider</c>, <c>METERAI_Database__ConnectionString</c>, ….
/// </summary>
internal static class DatabaseConfiguration
{
    public static DatabaseOptions Read(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection("Database");
        var name = section["Provider"];
        var provider = string.IsNullOrWhiteSpace(name) ? DatabaseProvider.Sqlite : DatabaseProviderNames.Parse(name)
            ?? throw new InvalidOperationException($"Database:Provider '{name}' is not supported: use sqlite or postgres");
        var connection = section["ConnectionString"];
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException("Database:Provider is postgres but Database:ConnectionString is empty (METERAI_Database__ConnectionString)");
        }

        var dataDirectory = section["DataDirectory"] is { Length: > 0 } dir ? dir : DatabaseOptions.DefaultDataDirectory;
        return new DatabaseOptions
        {
            Provider = provider,
            ConnectionString = string.IsNullOrWhiteSpace(connection) ? null : connection,
            DataDirectory = Path.GetFullPath(dataDirectory, contentRoot),
        };
    }
}
