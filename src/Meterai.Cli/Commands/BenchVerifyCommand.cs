using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Meterai.Bench;
using Meterai.Bench.Bounds;
using Meterai.Pdf;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai bench verify [FILE…]`: what verifying a file costs: processor time and managed allocation of the verifying
/// thread, wall time, and the size of the answer. Without FILE it measures the two files of issue 10 item 4: the
/// amplifier (<see cref="AmplifierPdf"/>, seed 1004) and a normal stamped file. <c>--unbounded</c> lifts the engine's
/// work budget (to see the work itself); <c>--url</c> also posts each file to a running server's /api/v1/verify and
/// prints the HTTP answer's status, code and size.
/// </summary>
internal static class BenchVerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("file") { Description = "PDFs to verify (default: the amplifier and a normal stamped file)", Arity = ArgumentArity.ZeroOrMore };
        var unbounded = new Option<bool>("--unbounded") { Description = "no processor-time or memory budget (the structural bounds still hold)" };
        var url = new Option<string?>("--url") { Description = "base URL of a running server: also post each file to /api/v1/verify" };
        var save = new Option<DirectoryInfo?>("--save") { Description = "write the generated files here" };
        var command = new Command("verify", "benchmark verification: processor time, allocation and answer size per file");
        command.Arguments.Add(files);
        foreach (var o in new Option[] { unbounded, url, save }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"machine: {BenchInfo.Machine()}");
            var inputs = Inputs(parse.GetValue(files) ?? [], parse.GetValue(save));
            if (inputs is null) return 2;
            var limits = parse.GetValue(unbounded) ? PdfLimits.Default with { MaxCpuTime = TimeSpan.Zero, MaxAllocatedBytes = 0 } : PdfLimits.Default;
            foreach (var (name, bytes) in inputs)
            {
                var r = VerifyBenchmark.Run(bytes, limits);
                Console.WriteLine(FormattableString.Invariant(
                    $"engine: {name} ({bytes.Length / 1048576.0:F2} MiB): {r.Outcome}, {r.Signatures} signatures, cpu {r.Cpu.TotalSeconds:F3} s, wall {r.Wall.TotalSeconds:F3} s, allocated {r.AllocatedBytes / 1e6:F1} MB, report {r.ReportJsonBytes / 1e6:F3} MB as JSON"));
                if (parse.GetValue(url) is { } baseUrl) await PostAsync(baseUrl, name, bytes, ct);
            }

            return 0;
        });
        return command;
    }

    private static List<(string Name, byte[] Bytes)>? Inputs(FileInfo[] files, DirectoryInfo? save)
    {
        var inputs = new List<(string, byte[])>();
        foreach (var f in files)
        {
            if (!f.Exists)
            {
                Console.Error.WriteLine($"error: not_found: {f.FullName} does not exist");
                return null;
            }

            inputs.Add((f.Name, File.ReadAllBytes(f.FullName)));
        }

        if (inputs.Count > 0) return inputs;
        using var signer = BenchSigner.CreateRsa2048();
        inputs.Add(("amplifier (seed 1004)", AmplifierPdf.Create(signer: signer)));
        inputs.Add(("stamped sample", AmplifierPdf.Stamp(SamplePdf.Create(), signer)));
        if (save is not null)
        {
            save.Create();
            File.WriteAllBytes(Path.Combine(save.FullName, "amplifier.pdf"), inputs[0].Item2);
            File.WriteAllBytes(Path.Combine(save.FullName, "stamped.pdf"), inputs[1].Item2);
        }

        return inputs;
    }

    private static async Task PostAsync(string baseUrl, string name, byte[] bytes, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "bench.pdf");
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync("/api/v1/verify", form, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        watch.Stop();
        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? " " + ProblemCode(body) : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"http:   {name}: {(int)response.StatusCode}{code}, answer {body.Length / 1e6:F3} MB, {watch.Elapsed.TotalSeconds:F3} s"));
    }

    private static string? ProblemCode(byte[] body)
    {
        try
        {
            return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException)
        {
            return null;
        }
    }
}
