using System.Diagnostics;

namespace Meterai.TestSupport;

/// <summary>Runs an independent checker (pdfsig, qpdf, pdftoppm, openssl) and captures what it says.</summary>
public static class ExternalTool
{
    public sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>Fails the test (or skips it on a laptop without the tool) when the tool is not installed.</summary>
    public static void Require(string tool)
    {
        if (Exists(tool)) return;
        if (TestEnvironment.IsCi || TestEnvironment.PostgresRequired) Assert.Fail($"{tool} is required (scripts/test.sh installs it).");
        Assert.Skip($"{tool} is not installed: run scripts/test.sh, which installs it.");
    }

    public static Outcome Run(string tool, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in time");
        }

        return new Outcome(p.ExitCode, stdout.Result, stderr.Result);
    }
}
