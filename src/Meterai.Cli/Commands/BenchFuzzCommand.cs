using System.CommandLine;
using System.Diagnostics;
using Meterai.Bench;
using Meterai.Bench.Fuzz;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench fuzz --cases N --seed S`: mutates the corpus (../shared/corpus/public by default) into hostile
/// PDFs and checks that every one is stamped validly or refused with a code, within 2 s and 256 MB. Stamped outputs
/// are spot-checked with `qpdf --check` when qpdf is installed. Exit 1 when any case fails.
/// </summary>
internal static class BenchFuzzCommand
{
    public static Command Create()
    {
        var cases = new Option<int>("--cases") { Description = "number of cases", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "seed: the same seed gives the same cases", DefaultValueFactory = _ => 1001 };
        var corpus = new Option<string?>("--corpus") { Description = "folder of seed PDFs (default ../shared/corpus/public)" };
        var failures = new Option<string?>("--failures") { Description = "folder where failing inputs are written" };
        var qpdfEvery = new Option<int>("--qpdf-every") { Description = "run qpdf --check on every Nth stamped output (0: never)", DefaultValueFactory = _ => 100 };
        var command = new Command("fuzz", "fuzz the stamping engine with mutated PDFs");
        foreach (var o in new Option[] { cases, seed, corpus, failures, qpdfEvery }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(corpus) ?? Path.Combine("..", "shared", "corpus", "public");
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"error: not_found: no corpus folder at {Path.GetFullPath(folder)}");
                return 2;
            }

            var seeds = Directory.GetFiles(folder, "*.pdf").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
            var every = parse.GetValue(qpdfEvery);
            Func<byte[], byte[], string?>? check = every > 0 && QpdfCheck.Available ? QpdfCheck.Run : null;
            using var signer = BenchSigner.CreateRsa2048();
            var runner = new FuzzRunner(seeds, signer, check, Math.Max(1, every));
            var total = parse.GetValue(cases);
            var failedFolder = parse.GetValue(failures);
            Console.WriteLine($"machine: {BenchInfo.Machine()}");
            Console.WriteLine($"seeds: {seeds.Count} files from {Path.GetFullPath(folder)}; cases: {total}; seed: {parse.GetValue(seed)}; qpdf spot checks: {(check is null ? "off" : $"every {every} stamps")}");
            var done = 0;
            var summary = runner.Run(parse.GetValue(seed), total, c =>
            {
                if (++done % 1000 == 0) Console.WriteLine($"  {done} cases…");
                if (c.Verdict != FuzzVerdict.Failed) return;
                Console.WriteLine($"  FAILED case {c.Index} ({c.Kind}, seed file {c.Source}): {c.Detail.Split('\n')[0]}");
                if (failedFolder is not null && c.Input is not null)
                {
                    Directory.CreateDirectory(failedFolder);
                    File.WriteAllBytes(Path.Combine(failedFolder, $"case-{c.Index}-{c.Kind}.pdf"), c.Input);
                }
            });

            Console.WriteLine();
            Console.WriteLine($"{"kind",-18} {"stamped",8} {"rejected",9} {"failed",7} {"max cpu ms",11} {"max wall ms",12} {"max MiB",8}");
            foreach (var group in summary.Cases.GroupBy(c => c.Kind).OrderBy(g => g.Key))
            {
                Console.WriteLine($"{group.Key,-18} {group.Count(c => c.Verdict == FuzzVerdict.Stamped),8} {group.Count(c => c.Verdict == FuzzVerdict.Rejected),9} {group.Count(c => c.Verdict == FuzzVerdict.Failed),7} {group.Max(c => c.Elapsed.TotalMilliseconds),11:F0} {group.Max(c => c.WallTime.TotalMilliseconds),12:F0} {group.Max(c => c.AllocatedBytes) / 1048576.0,8:F1}");
            }

            var codes = summary.Cases.Where(c => c.Verdict == FuzzVerdict.Rejected).GroupBy(c => c.Detail).OrderByDescending(g => g.Count());
            Console.WriteLine("rejection codes: " + string.Join(", ", codes.Select(g => $"{g.Key} {g.Count()}")));
            var failed = summary.Failures.Count();
            Console.WriteLine($"fuzz: {summary.Cases.Count} cases in {summary.Elapsed.TotalSeconds:F0} s, {summary.Cases.Count(c => c.Verdict == FuzzVerdict.Stamped)} stamped, {summary.Cases.Count(c => c.Verdict == FuzzVerdict.Rejected)} rejected, {failed} failed; slowest {summary.Slowest?.Elapsed.TotalMilliseconds:F0} ms processor time ({summary.Cases.Max(c => c.WallTime.TotalMilliseconds):F0} ms wall at most), most allocated {summary.Hungriest?.AllocatedBytes / 1048576.0:F1} MiB");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static class QpdfCheck
    {
        public static bool Available => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "qpdf")));

        /// <summary>
        /// qpdf --check on the stamped output; a complaint counts only when the input itself checks clean, since a
        /// mutated object the stamp never reads is still in the output, byte for byte.
        /// </summary>
        public static string? Run(byte[] input, byte[] output)
        {
            var (code, text) = Check(output);
            if (code == 0) return null;
            return Check(input).Code == 0 ? $"qpdf --check exit {code} on the output of a clean input: {text}" : null;
        }

        private static (int Code, string Text) Check(byte[] pdf)
        {
            var path = Path.Combine(Path.GetTempPath(), $"meterai-fuzz-{Environment.ProcessId}.pdf");
            File.WriteAllBytes(path, pdf);
            try
            {
                var psi = new ProcessStartInfo("qpdf", ["--check", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var p = Process.Start(psi)!;
                var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                p.WaitForExit();
                return (p.ExitCode, text.Split('\n').FirstOrDefault(l => l.Contains("WARNING") || l.Contains("error")) ?? text);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
