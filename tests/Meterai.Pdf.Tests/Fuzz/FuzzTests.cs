using Meterai.Bench.Fuzz;
using Meterai.Pdf.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Fuzz;

/// <summary>
/// A seeded slice of `meterai bench fuzz`: hostile mutations of real files (the shared corpus when present, the
/// generated fixtures otherwise) must each be stamped validly or refused with a code, within the bounds. The bench
/// command runs ten thousand and more; this runs enough of every kind to catch a regression.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20250115;
    private const int Cases = 300;

    [Fact]
    public void Every_mutated_file_is_stamped_validly_or_refused_with_a_code_within_bounds()
    {
        var summary = new FuzzRunner(Seeds(), TestSigner.Signer).Run(Seed, Cases);
        foreach (var group in summary.Cases.GroupBy(c => c.Kind))
        {
            output.WriteLine($"{group.Key}: {group.Count(c => c.Verdict == FuzzVerdict.Stamped)} stamped, {group.Count(c => c.Verdict == FuzzVerdict.Rejected)} rejected, {group.Count(c => c.Verdict == FuzzVerdict.Failed)} failed");
        }

        var failures = summary.Failures.ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"case {f.Index} ({f.Kind}, seed {f.Source}): {f.Detail}")));
        // Every kind of mutation ran, and the run both stamped and refused: the fuzzer itself works.
        Assert.Equal(PdfMutator.KindCount, summary.Cases.Select(c => c.Kind).Distinct().Count());
        Assert.Contains(summary.Cases, c => c.Verdict == FuzzVerdict.Stamped);
        Assert.Contains(summary.Cases, c => c.Verdict == FuzzVerdict.Rejected && c.Detail == PdfErrorCodes.LimitExceeded);
    }

    private static List<byte[]> Seeds()
    {
        var dir = TestEnvironment.CorpusDirectory;
        if (dir is not null)
        {
            // The smaller corpus files keep the run short; every structure the corpus has is among them.
            return Directory.GetFiles(dir, "*.pdf").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length <= 400_000).ToList();
        }

        return
        [
            Fixtures.Fixtures.Plain,
            Fixtures.Fixtures.ObjectStreams,
            Fixtures.Fixtures.WithForm,
            Fixtures.Fixtures.Rotated(90),
            Fixtures.Fixtures.Cropped,
            Fixtures.Fixtures.Encrypted("", "owner", "256"),
            Fixtures.Fixtures.Encrypted("", "owner", "128", "--use-aes=n"),
        ];
    }
}
