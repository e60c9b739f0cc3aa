using System.CommandLine;

namespace Meterai.Cli.Tests;

/// <summary>Runs one `meterai` command in-process with its output captured (no console, so tests can run in parallel).</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    public static async Task<Outcome> RunAsync(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new Outcome(exit, output.ToString(), error.ToString());
    }
}
