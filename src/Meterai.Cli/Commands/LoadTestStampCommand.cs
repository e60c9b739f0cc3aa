using System.CommandLine;
using Meterai.Bench.LoadTest;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai loadtest stamp --url http://127.0.0.1:5080 --rate 500 --duration 60 [--warmup 15] [--files a.pdf …]
/// [--connections 256] [--applicants 64] --operator-email … --operator-password …`: sets up its own channel,
/// applicants and quota through the API (it needs an issuer admin: create one with `meterai operator add`), then
/// drives POST /api/v1/stamps at an open arrival rate and prints throughput, p50/p95/p99 (from each request's
/// scheduled start) and errors by code. Exit 0 when every measured request stamped, 1 otherwise, 2 on bad input.
/// The operator's credentials may also come from METERAI_LOADTEST_OPERATOR_EMAIL / METERAI_LOADTEST_OPERATOR_PASSWORD.
/// </summary>
internal static class LoadTestStampCommand
{
    /// <summary>Corpus files a civil-service applicant would stamp (letters and forms, typed and scanned), used when no --files are given.</summary>
    private static readonly string[] DefaultCorpusFiles =
        ["lo-surat-lamaran-1001.pdf", "lo-surat-lamaran-1001-docx.pdf", "chromium-formulir-1001.pdf", "scan-lo-surat-lamaran-1001.pdf"];

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "the service's base address", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var rate = new Option<double>("--rate") { Description = "requests started per second (open arrivals)", DefaultValueFactory = _ => 100 };
        var duration = new Option<double>("--duration") { Description = "measured seconds", DefaultValueFactory = _ => 60 };
        var warmup = new Option<double>("--warmup") { Description = "unmeasured seconds first, the rate ramping up from a tenth to the full rate", DefaultValueFactory = _ => 15 };
        var files = new Option<string[]>("--files") { Description = "PDFs to upload in turn (default: four corpus files under ../shared/corpus/public)", AllowMultipleArgumentsPerToken = true };
        var connections = new Option<int>("--connections") { Description = "most HTTP connections", DefaultValueFactory = _ => 256 };
        var applicants = new Option<int>("--applicants") { Description = "applicants the stamps are spread over", DefaultValueFactory = _ => 64 };
        var email = new Option<string?>("--operator-email") { Description = "an issuer admin's e-mail (env METERAI_LOADTEST_OPERATOR_EMAIL)" };
        var password = new Option<string?>("--operator-password") { Description = "its password (env METERAI_LOADTEST_OPERATOR_PASSWORD)" };
        var rect = new Option<string>("--rect") { Description = "stamp rectangle on page 1", DefaultValueFactory = _ => "400,60,540,150" };
        var timeout = new Option<double>("--timeout") { Description = "seconds before a request counts as timed out", DefaultValueFactory = _ => 30 };

        var stamp = new Command("stamp", "drive POST /api/v1/stamps at an open arrival rate; print throughput, latency percentiles and errors by code");
        foreach (var o in new Option[] { url, rate, duration, warmup, files, connections, applicants, email, password, rect, timeout }) stamp.Options.Add(o);
        stamp.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var list = parse.GetValue(files) is { Length: > 0 } given ? given : DefaultFiles();
            var missing = list.FirstOrDefault(f => !File.Exists(f));
            var operatorEmail = parse.GetValue(email) ?? Environment.GetEnvironmentVariable("METERAI_LOADTEST_OPERATOR_EMAIL");
            var operatorPassword = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("METERAI_LOADTEST_OPERATOR_PASSWORD");
            string? problem = (parse.GetValue(rate), parse.GetValue(duration), parse.GetValue(warmup), parse.GetValue(connections), parse.GetValue(applicants)) switch
            {
                _ when !Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out _) => "--url is an absolute http(s) address",
                _ when list.Length == 0 => "no files: pass --files a.pdf b.pdf … (the shared corpus is not here)",
                _ when missing is not null => $"no such file: {missing}",
                ( <= 0 or > 100_000, _, _, _, _) => "--rate is between 0 and 100000",
                (_, <= 0, _, _, _) => "--duration must be positive",
                (_, _, < 0, _, _) => "--warmup must not be negative",
                (_, _, _, < 1, _) => "--connections must be at least 1",
                (_, _, _, _, < 1) => "--applicants must be at least 1",
                _ when string.IsNullOrEmpty(operatorEmail) || string.IsNullOrEmpty(operatorPassword) =>
                    "an issuer admin is needed to set up quota: --operator-email and --operator-password (create one with `meterai operator add --role issuer_admin`)",
                _ => null,
            };
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 2;
            }

            var options = new StampLoadTestOptions(new Uri(parse.GetValue(url)!), parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(warmup)), list, parse.GetValue(connections), parse.GetValue(applicants), operatorEmail!, operatorPassword!,
                parse.GetValue(rect)!, TimeSpan.FromSeconds(parse.GetValue(timeout)));
            try
            {
                return await new StampLoadTest(options, parse.InvocationConfiguration.Output).RunAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
        });

        var command = new Command("loadtest", "load tests against a running service (never part of the test suite)");
        command.Subcommands.Add(stamp);
        return command;
    }

    private static string[] DefaultFiles()
    {
        var dir = Environment.GetEnvironmentVariable("METERAI_CORPUS") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "corpus", "public");
        foreach (var candidate in new[] { dir, Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "corpus", "public") })
        {
            var files = DefaultCorpusFiles.Select(f => Path.GetFullPath(Path.Combine(candidate, f))).ToArray();
            if (files.All(File.Exists)) return files;
        }

        return [];
    }
}
