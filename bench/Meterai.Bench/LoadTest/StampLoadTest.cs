using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Meterai.Bench.LoadTest;

/// <summary>
/// Drives POST /api/v1/stamps at an open arrival rate: request i is due when <see cref="ArrivalSchedule"/> says (a ramp
/// during the warm-up, then one every 1/rate s) and starts then whether or not earlier ones were answered (a closed loop would slow down with the service and hide its queueing). Latency is
/// measured from the scheduled start, so time a request waited because the generator or the connection pool was
/// behind counts too; starts more than 10 ms behind schedule are counted as late. Every upload is a real multipart
/// request with a PDF from the given files and a fresh Idempotency-Key; every answer is read to its end.
/// </summary>
public sealed class StampLoadTest(StampLoadTestOptions options, TextWriter output)
{
    private static readonly TimeSpan LateThreshold = TimeSpan.FromMilliseconds(10);

    private sealed record Outcome(bool Measured, bool Ok, string Code, double LatencyMs, long ResponseBytes, TimeSpan AnsweredAt);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var files = options.Files.Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList();
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = options.Timeout };

        var runId = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var schedule = new ArrivalSchedule(options.Rate, options.Warmup, options.Duration);
        var total = schedule.Total;
        await output.WriteLineAsync($"loadtest stamp: {options.Url} rate {options.Rate:0.#}/s, warm-up {options.Warmup.TotalSeconds:0} s (ramping up from {options.Rate / 10:0.#}/s), measured {options.Duration.TotalSeconds:0} s " +
                                    $"({total} requests), {files.Count} file(s) averaging {files.Average(f => f.Bytes.Length) / 1024:0} KiB, ≤ {options.Connections} connections");
        await output.WriteLineAsync($"machine: {BenchInfo.Machine()}");
        var setupWatch = Stopwatch.StartNew();
        var (token, applicants) = await new LoadTestApi(http).SetUpAsync(options.OperatorEmail, options.OperatorPassword,
            total + total / 20 + options.Applicants * 2L, options.Applicants, runId, ct);
        await output.WriteLineAsync($"setup: channel loadtest-{runId}, {applicants.Count} applicants with quota ({setupWatch.Elapsed.TotalSeconds:0.0} s)");

        // Each (file, applicant) request body is serialised once: the same multipart bytes a client sends, without the
        // generator spending a share of the two cores on building them again for every request.
        var bodies = new (byte[] Bytes, MediaTypeHeaderValue ContentType)[files.Count, applicants.Count];
        for (var f = 0; f < files.Count; f++)
        {
            for (var a = 0; a < applicants.Count; a++)
            {
                using var form = new MultipartFormDataContent();
                var part = new ByteArrayContent(files[f].Bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(part, "file", files[f].Name);
                form.Add(new StringContent(applicants[a]), "applicant_id");
                form.Add(new StringContent("surat_lamaran_cpns"), "document_type");
                form.Add(new StringContent("1"), "page");
                form.Add(new StringContent(options.Rect), "rect");
                bodies[f, a] = (await form.ReadAsByteArrayAsync(ct), form.Headers.ContentType!);
            }
        }

        // What every request shares, made once: the address (not joined to the base address per request) and the
        // authorisation header's text (not parsed into a header object and validated per request).
        var stamps = new Uri(options.Url, "/api/v1/stamps");
        var bearer = "Bearer " + token;
        var outcomes = new ConcurrentQueue<Outcome>();
        var late = 0L;
        var inFlight = 0L;
        var maxInFlight = 0L;
        var pending = new CountdownEvent(1);
        var warmupEnd = schedule.WarmupEnd;
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;

        // The scheduler: its own thread, so that nothing the requests do can delay a start.
        var scheduler = new Thread(() =>
        {
            // Sleeps until the next request falls due (whole milliseconds, rounded up) and starts everything due by
            // then: no spinning, which at 500/s would burn a whole core of the machine under test, and no waking every
            // millisecond to find nothing due; starts are at most about a millisecond behind.
            var next = schedule.Due(0);
            for (long i = 0; i < total && !ct.IsCancellationRequested;)
            {
                for (var now = clock.Elapsed; i < total && next <= now;)
                {
                    var (n, due) = (i, next); // copies: the closure below must not see the loop's variables move on
                    pending.AddCount();
                    ThreadPool.UnsafeQueueUserWorkItem(_ => _ = SendAsync(n, due), null);
                    if (++i < total) next = schedule.Due(i);
                }

                if (i < total) Thread.Sleep(ArrivalSchedule.SleepMilliseconds(clock.Elapsed, next));
            }

            pending.Signal();
        }) { IsBackground = true, Name = "loadtest-scheduler", Priority = ThreadPriority.AboveNormal };
        scheduler.Start();

        // The machine's CPU shares over exactly the measured window (not the warm-up, not the drain).
        var cpuShares = Task.Run(async () =>
        {
            await Task.Delay(Remaining(warmupEnd), ct);
            var start = MachineCpu.Sample();
            await Task.Delay(Remaining(warmupEnd + options.Duration), ct);
            return start is { } s && MachineCpu.Sample() is { } end ? end.DescribeSince(s) : null;
        }, ct);
        TimeSpan Remaining(TimeSpan at) => at > clock.Elapsed ? at - clock.Elapsed : TimeSpan.Zero;

        async Task SendAsync(long n, TimeSpan due)
        {
            var measured = due >= warmupEnd;
            try
            {
                if (clock.Elapsed - due > LateThreshold && measured) Interlocked.Increment(ref late);
                var now = Interlocked.Increment(ref inFlight);
                long seen;
                while (now > (seen = Interlocked.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
                {
                }

                var upload = bodies[(int)(n % files.Count), (int)(n % applicants.Count)];
                var form = new ByteArrayContent(upload.Bytes);
                form.Headers.ContentType = upload.ContentType;
                using var request = new HttpRequestMessage(HttpMethod.Post, stamps) { Content = form };
                request.Headers.TryAddWithoutValidation("Authorization", bearer);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", $"{runId}-{n}");
                string code;
                bool ok;
                long bytes;
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                    ok = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK;
                    if (ok)
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(ct);
                        (code, bytes) = ("ok", await AnswerDrain.ReadToEndAsync(body, ct));
                    }
                    else
                    {
                        // A problem's body is small and its code is reported: this one is kept and read.
                        var body = await response.Content.ReadAsByteArrayAsync(ct);
                        (code, bytes) = (ProblemCode(response.StatusCode, body), body.Length);
                    }
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    (ok, code, bytes) = (false, "timeout", 0);
                }
                catch (HttpRequestException e)
                {
                    (ok, code, bytes) = (false, "connection_error:" + (e.HttpRequestError.ToString()), 0);
                }

                var answeredAt = clock.Elapsed;
                outcomes.Enqueue(new Outcome(measured, ok, code, (answeredAt - due).TotalMilliseconds, bytes, answeredAt));
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
                pending.Signal();
            }
        }

        await Task.Run(() => pending.Wait(ct), ct);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var measuredOutcomes = outcomes.Where(o => o.Measured).ToList();
        var ok = measuredOutcomes.Where(o => o.Ok).ToList();
        var span = elapsed - warmupEnd;
        var latency = new LatencySummary(measuredOutcomes.Select(o => o.LatencyMs));
        var okLatency = new LatencySummary(ok.Select(o => o.LatencyMs));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"measured: {measuredOutcomes.Count} requests in {span.TotalSeconds:0.0} s (scheduled {options.Duration.TotalSeconds:0} s + drain)"));
        // Over the measured window or until the last measured answer, whichever is longer: a server that falls behind
        // answers the same number of requests, only later, and must not be credited with the offered rate.
        var lastAnswer = measuredOutcomes.Count == 0 ? warmupEnd : measuredOutcomes.Max(o => o.AnsweredAt);
        var window = TimeSpan.FromTicks(Math.Max(options.Duration.Ticks, (lastAnswer - warmupEnd).Ticks));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {ok.Count / window.TotalSeconds:0.0} stamps/s ok over {window.TotalSeconds:0.0} s ({ok.Count} stamped, {measuredOutcomes.Count - ok.Count} errors; offered {options.Rate:0.#}/s)"));
        await output.WriteLineAsync($"latency (all, from scheduled start): {latency}");
        await output.WriteLineAsync($"latency (stamped):                   {okLatency}");
        var codes = measuredOutcomes.Where(o => !o.Ok).GroupBy(o => o.Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        await output.WriteLineAsync($"errors by code: {(measuredOutcomes.All(o => o.Ok) ? "none" : string.Join(", ", codes))}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"late starts (>{LateThreshold.TotalMilliseconds:0} ms behind schedule): {late}; most in flight: {maxInFlight}; " +
            $"answer bytes avg {(ok.Count == 0 ? 0 : ok.Average(o => o.ResponseBytes)) / 1024:0} KiB; generator CPU {cpu.TotalSeconds / elapsed.TotalSeconds * 100:0}% of one core"));
        if (await cpuShares is { } shares) await output.WriteLineAsync($"machine CPU, measured window: {shares}");
        return measuredOutcomes.Count > 0 && ok.Count == measuredOutcomes.Count ? 0 : 1;
    }

    private static string ProblemCode(HttpStatusCode status, byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String) return $"{(int)status} {code.GetString()}";
        }
        catch (JsonException)
        {
        }

        return $"{(int)status}";
    }
}
