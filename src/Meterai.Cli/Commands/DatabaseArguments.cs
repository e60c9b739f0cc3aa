using System.CommandLine;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>The options every database command shares: <c>--db sqlite|postgres</c>, <c>--connection</c>, <c>--data-dir</c>.</summary>
internal sealed class DatabaseArguments
{
    public Option<string> Provider { get; } = new("--db") { Description = "sqlite (default) or postgres", DefaultValueFactory = _ => "sqlite" };

    public Option<string?> Connection { get; } = new("--connection") { Description = "connection string (postgres: required; sqlite: overrides --data-dir)" };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = "sqlite: folder of meterai.db",
        DefaultValueFactory = _ => DatabaseOptions.DefaultDataDirectory,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Provider);
        command.Options.Add(Connection);
        command.Options.Add(DataDirectory);
    }

    /// <summary>The options, or null after writing the error for bad input to the command's error output.</summary>
    public async Task<DatabaseOptions?> ReadAsync(ParseResult parse)
    {
        var (options, problem) = Read(parse);
        if (options is null) await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {problem}");
        return options;
    }

    /// <summary>Opens the database, or returns null after writing why it cannot (bad options, unreachable) to the error output.</summary>
    public async Task<MeteraiDatabase?> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        var options = await ReadAsync(parse);
        if (options is null) return null;
        try
        {
            return await MeteraiDatabase.OpenAsync(options, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: cannot open the {options.Provider.Name()} database: {e.Message}");
            return null;
        }
    }

    /// <summary>The options, or an error message for bad input (unknown provider, postgres without a connection string).</summary>
    private (DatabaseOptions? Options, string? Error) Read(ParseResult parse)
    {
        var provider = DatabaseProviderNames.Parse(parse.GetValue(Provider));
        if (provider is null) return (null, $"unknown database '{parse.GetValue(Provider)}': use sqlite or postgres");
        var connection = parse.GetValue(Connection);
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connection)) return (null, "--db postgres needs --connection \"Host=…;Username=…;Database=…\"");
        return (new DatabaseOptions { Provider = provider.Value, ConnectionString = connection, DataDirectory = parse.GetValue(DataDirectory)! }, null);
    }
}
