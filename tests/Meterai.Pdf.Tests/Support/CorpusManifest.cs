using System.Text.RegularExpressions;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>One row of ../shared/corpus/public/MANIFEST.tsv.</summary>
internal sealed partial record CorpusRow(string File, int? Pages, string Features, string Expected, string Reason)
{
    /// <summary>The password the reason column gives ("(password: X)"), if any.</summary>
    public string? Password => PasswordPattern().Match(Reason) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"\(password: ([^)]+)\)")]
    private static partial Regex PasswordPattern();
}

internal static class CorpusManifest
{
    public const string Absent = "(corpus absent)";

    /// <summary>The file names, for a theory; a single placeholder row when the corpus is absent (the test then skips, or fails in CI).</summary>
    public static IEnumerable<string> FileNames()
    {
        var dir = TestEnvironment.CorpusDirectory;
        if (dir is null) return [Absent];
        return Rows(dir).Select(r => r.File);
    }

    public static List<CorpusRow> Rows(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "MANIFEST.tsv"))
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(c => new CorpusRow(c[0], int.TryParse(c[4], out var p) ? p : null, c[5], c[6], c.Length > 7 ? c[7] : ""))
            .ToList();
}
