using System.Text.Json;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>../shared/tools/pades-check (pyHanko, the reference validator) run on files, trusting the test issuer's root.</summary>
internal static class PadesCheck
{
    /// <summary>The tool's path; skips the test where ../shared is absent (a laptop), fails in CI.</summary>
    public static string Tool()
    {
        var tool = Path.Combine(TestEnvironment.RepositoryRoot, "..", "shared", "tools", "pades-check");
        if (File.Exists(tool)) return tool;
        if (TestEnvironment.CorpusRequired) Assert.Fail("../shared/tools/pades-check is required here but absent.");
        Assert.Skip("../shared/tools/pades-check not present");
        return null!;
    }

    /// <summary>pyHanko's own library (the shared copy), for scripts that make signed test files with it.</summary>
    public static string Library() => Path.Combine(Path.GetDirectoryName(Tool())!, "pyhanko", "lib");

    /// <summary>Runs the check on one file: its exit code, text and the JSON line it wrote for the file.</summary>
    public static (int ExitCode, string Text, JsonElement Json) Run(string path, string? trustPem = null)
    {
        var run = ExternalTool.Run("/usr/bin/python3", [Tool(), "--trust", trustPem ?? TestSigner.Issuer.RootCertificatePemPath, path, "--json"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode is 0 or 1, $"pades-check exited {run.ExitCode}: {run.All}");
        using var json = JsonDocument.Parse(run.StdOut.Trim());
        return (run.ExitCode, run.All, json.RootElement.Clone());
    }

    /// <summary>What pyHanko says of the signature in <paramref name="field"/>: (changes_after, docmdp_ok, intact and valid).</summary>
    public static (string? ChangesAfter, bool? DocMdpOk, bool Valid) Signature(JsonElement file, string field)
    {
        foreach (var s in file.GetProperty("signatures").EnumerateArray())
        {
            if (s.GetProperty("field").GetString() != field) continue;
            Assert.False(s.TryGetProperty("error", out var error), $"pyHanko could not validate {field}: {error}");
            var docmdp = s.GetProperty("docmdp_ok");
            return (s.GetProperty("modification_level").GetString(),
                docmdp.ValueKind == JsonValueKind.Null ? null : docmdp.GetBoolean(),
                s.GetProperty("intact").GetBoolean() && s.GetProperty("valid").GetBoolean());
        }

        Assert.Fail($"pyHanko reports no signature in field {field}: {file}");
        return default;
    }
}
