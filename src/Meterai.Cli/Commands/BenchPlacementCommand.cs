using System.CommandLine;
using Meterai.Bench;
using Meterai.Bench.Stamping;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench placement --corpus ../shared/corpus/public [--rounds 5] [--dpi 100]`: for every stampable corpus
/// file, whether the stamp lands on ink on page 1 at the old fixed place and at the automatic one (pixels of
/// pdftoppm's rendering before stamping), and what the automatic choice costs beside the stamp itself.
/// </summary>
internal static class BenchPlacementCommand
{
    public static Command Create()
    {
        var corpus = new Option<DirectoryInfo>("--corpus") { Description = "a corpus folder with MANIFEST.tsv", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "timed runs per file (median)", DefaultValueFactory = _ => 5 };
        var dpi = new Option<double>("--dpi") { Description = "rendering resolution for the pixel comparison", DefaultValueFactory = _ => 100 };
        var command = new Command("placement", "where the stamp lands on the corpus' first pages, fixed place against automatic placement");
        foreach (var o in new Option[] { corpus, rounds, dpi }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(corpus)!;
            if (!File.Exists(Path.Combine(dir.FullName, "MANIFEST.tsv")))
            {
                Console.Error.WriteLine($"error: not_found: no MANIFEST.tsv in {dir.FullName}");
                return 2;
            }

            Console.WriteLine($"machine: {BenchInfo.Machine()}");
            Console.WriteLine($"date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
            using var signer = BenchSigner.CreateRsa2048();
            int files = 0, fixedOnInk = 0, autoOnInk = 0, moved = 0, errors = 0, misplaced = 0, free = 0, autoOnInkWhereFree = 0;
            double chooseTotal = 0, describeTotal = 0, stampTotal = 0;
            var ratios = new List<double>();
            var fallbacks = new Dictionary<string, int>();
            foreach (var r in PlacementCorpusBenchmark.Run(dir.FullName, Math.Max(1, parse.GetValue(rounds)), signer, parse.GetValue(dpi)))
            {
                if (r.Error is not null && r.Auto.Rect.IsEmpty)
                {
                    errors++;
                    Console.WriteLine($"{r.File}: error {r.Error}");
                    continue;
                }

                files++;
                if (r.FixedInk > 0) fixedOnInk++;
                if (r.AutoInk > 0) autoOnInk++;
                if (r.FreeByPixels) free++;
                if (r.FreeByPixels && r.AutoInk > 0) autoOnInkWhereFree++;
                if (r.Auto.Moved) moved++;
                if (r.AutoChangedOutside > 0) misplaced++;
                if (r.Error is not null) errors++; // placed and measured, but not stamped
                if (r.Auto.Fallback is { } f) fallbacks[f] = fallbacks.GetValueOrDefault(f) + 1;
                chooseTotal += r.ChooseMs;
                describeTotal += r.DescribeMs;
                if (r.StampMs > 0) ratios.Add((r.ChooseMs - r.DescribeMs) / r.StampMs);
                stampTotal += r.StampMs;
                Console.WriteLine(FormattableString.Invariant(
                    $"{r.File}: fixed {r.Fixed} ink {r.FixedInk}; auto {r.Auto.Rect} ink {r.AutoInk}{(r.Auto.Fallback is null ? "" : " fallback " + r.Auto.Fallback)}, changed outside {(r.Error is null ? r.AutoChangedOutside.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(not stamped: " + r.Error + ")")}; free spot by pixels {(r.FreeByPixels ? "yes" : "no")}; choose {r.ChooseMs:F2} ms (geometry alone {r.DescribeMs:F2} ms), stamp {r.StampMs:F2} ms"));
            }

            Console.WriteLine(FormattableString.Invariant(
                $"files {files} (stamping errors {errors}): fixed place on ink {fixedOnInk}; auto on ink {autoOnInk} ({autoOnInkWhereFree} of the {free} pages with a free spot by pixels); moved {moved}; fallbacks {string.Join(", ", fallbacks.Select(kv => $"{kv.Key} {kv.Value}"))}; stamps changing pixels outside their rectangle {misplaced}"));
            ratios.Sort();
            var median = ratios.Count == 0 ? 0 : ratios[ratios.Count / 2];
            Console.WriteLine(FormattableString.Invariant(
                $"auto placement: {chooseTotal:F1} ms over {files} files ({chooseTotal / Math.Max(1, files):F2} ms a file; the fixed place's geometry {describeTotal / Math.Max(1, files):F2} ms) against the stamp's {stampTotal:F1} ms ({stampTotal / Math.Max(1, files):F2} ms)"));
            Console.WriteLine(FormattableString.Invariant(
                $"extra cost of auto over the fixed place: {(chooseTotal - describeTotal) / Math.Max(1, files):F2} ms a file, {100 * (chooseTotal - describeTotal) / Math.Max(1e-9, stampTotal):F1} % of the stamps' total time; median per file {100 * median:F1} %"));
            return 0;
        });
        return command;
    }
}
