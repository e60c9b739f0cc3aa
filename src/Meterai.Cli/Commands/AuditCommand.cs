using System.CommandLine;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai audit --db sqlite|postgres [--connection …] [--data-dir ./data]`: checks every invariant on a live
/// database without writing to it, prints each verdict, exits 0 when all hold, 1 when one breaks (named in the
/// output), 2 on bad input or a database that cannot be opened.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = new DatabaseArguments();
        var command = new Command("audit", "check the ledger's and the serial registry's invariants on a live database (read-only)");
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = await db.ReadAsync(parse);
            if (options is null) return 2;

            MeteraiDatabase database;
            try
            {
                // Migrate off: an audit never changes the database it looks at.
                database = await MeteraiDatabase.OpenAsync(options with { Migrate = false }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"error: cannot open the {options.Provider.Name()} database: {e.Message}");
                return 2;
            }

            await using (database)
            {
                var report = await database.AuditAsync(ct);
                foreach (var check in report.Checks)
                {
                    await output.WriteLineAsync($"{(check.Holds ? "ok    " : "BROKEN")}  {check.Name}: {check.Detail}");
                }

                var broken = report.Broken.Select(b => b.Name).ToList();
                await output.WriteLineAsync(broken.Count == 0
                    ? $"all {report.Checks.Count} invariants hold"
                    : $"{broken.Count} invariant(s) broken: {string.Join(", ", broken)}");
                return broken.Count == 0 ? 0 : 1;
            }
        });
        return command;
    }
}
