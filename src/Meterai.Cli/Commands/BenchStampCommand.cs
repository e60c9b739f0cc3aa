using System.CommandLine;
using System.Globalization;
using Meterai.Bench;
using Meterai.Bench.Bounds;
using Meterai.Bench.Stamping;
using Meterai.Pdf;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench stamp --file F --threads N`: stamps F repeatedly (RSA-2048) and prints stamps/s, ms/doc and managed
/// bytes allocated per doc. `--large-mb M` instead stamps a generated M-megabyte PDF from disk to disk once and prints
/// what that allocated. `--damaged-mb M` stamps a generated M-megabyte PDF whose cross-reference data is broken (it
/// needs recovery), once, as a stamp job would, and prints that thread's processor time and allocation
/// (`--unbounded`: without the engine's work budget).
/// </summary>
internal static class BenchStampCommand
{
    public static Command Create()
    {
        var file = new Option<FileInfo?>("--file") { Description = "the PDF to stamp" };
        var threads = new Option<int>("--threads") { Description = "worker threads sharing one engine and one key", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "measured duration", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "warm-up duration, not measured", DefaultValueFactory = _ => 3 };
        var largeMb = new Option<int?>("--large-mb") { Description = "stamp one generated PDF of this many MB (streamed file to file) instead" };
        var damagedMb = new Option<int?>("--damaged-mb") { Description = "stamp one generated damaged PDF of this many MB (recovery) once and print its cost" };
        var unbounded = new Option<bool>("--unbounded") { Description = "with --damaged-mb: no processor-time or memory budget" };
        var command = new Command("stamp", "benchmark the stamping engine");
        foreach (var o in new Option[] { file, threads, seconds, warmup, largeMb, damagedMb, unbounded }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            using var signer = BenchSigner.CreateRsa2048();
            Console.WriteLine($"machine: {BenchInfo.Machine()}");
            if (parse.GetValue(largeMb) is { } mb)
            {
                var folder = Path.Combine(Path.GetTempPath(), "meterai-bench-large");
                Directory.CreateDirectory(folder);
                var r = LargeFileBenchmark.Run(mb * 1024L * 1024, folder, signer);
                Console.WriteLine(FormattableString.Invariant($"large: input {r.InputBytes / 1e6:F1} MB, output {r.OutputBytes / 1e6:F1} MB, {r.Elapsed.TotalMilliseconds:F0} ms"));
                Console.WriteLine(FormattableString.Invariant($"large: allocated {r.AllocatedBytes / 1e6:F2} MB managed for the stamp ({100.0 * r.AllocatedBytes / r.InputBytes:F2}% of the input), working set grew {r.PeakWorkingSetDelta / 1e6:F1} MB"));
                return 0;
            }

            if (parse.GetValue(damagedMb) is { } damaged)
            {
                var pdf = DamagedPdf.Create(damaged * 1024L * 1024);
                var limits = parse.GetValue(unbounded) ? PdfLimits.Default with { MaxCpuTime = TimeSpan.Zero, MaxAllocatedBytes = 0 } : PdfLimits.Default;
                StampCostBenchmark.Run(DamagedPdf.Create(256 * 1024), signer, limits); // warm-up
                var r = StampCostBenchmark.Run(pdf, signer, limits);
                Console.WriteLine(FormattableString.Invariant(
                    $"damaged: input {pdf.Length / 1048576.0:F2} MiB: {r.Outcome}, cpu {r.Cpu.TotalSeconds:F3} s, wall {r.Wall.TotalSeconds:F3} s, allocated {r.AllocatedBytes / 1e6:F1} MB, output {r.OutputBytes / 1048576.0:F2} MiB"));
                return 0;
            }

            var input = parse.GetValue(file);
            if (input is null || !input.Exists)
            {
                Console.Error.WriteLine("error: invalid_request: --file names no existing PDF");
                return 2;
            }

            var bytes = File.ReadAllBytes(input.FullName);
            var n = Math.Max(1, parse.GetValue(threads));
            var result = StampBenchmark.Run(bytes, n, TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(warmup)), signer);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"input: {input.Name} ({bytes.Length} bytes), output {result.OutputBytes} bytes, RSA-2048, {n} thread{(n == 1 ? "" : "s")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency: median {result.MedianMs:F3} ms, p90 {result.P90Ms:F3} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"meterai: {result.Documents} docs, {result.StampsPerSecond:F0} stamps/s, {result.MsPerDoc:F3} ms/doc, {result.AllocatedBytesPerDoc} allocated bytes/doc"));
            return 0;
        });
        return command;
    }
}
