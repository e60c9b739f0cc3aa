using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Meterai.Bench;
using Meterai.Bench.Bounds;

namespace Meterai.Cli.Attacks.Verification;

/// <summary>
/// What the verification attacks share: the amplifier and a normal stamped file (generated once per run), posting a
/// file to /api/v1/verify as an anonymous client, and telling a bounded answer from an unbounded one. Against a server
/// on IPv4 loopback each attack speaks from its own address of 127.0.0.0/8 (bound before connecting), so it is a
/// client of its own for the per-client rate: the flood does not use up the rate of the attacks after it.
/// </summary>
internal static class VerifyClient
{
    /// <summary>The largest answer a bounded verification gives (20 signatures × 20 notes of 256 characters, with room).</summary>
    public const int MaxAnswerBytes = 256 * 1024;

    public static readonly Lazy<byte[]> Amplifier = new(() => AmplifierPdf.Create());

    public static readonly Lazy<byte[]> Stamped = new(() => AmplifierPdf.Stamp(SamplePdf.Create()));

    /// <summary>Whether each client can speak from an address of its own (the target is on IPv4 loopback).</summary>
    public static bool OwnAddresses(AttackTarget target) =>
        IPAddress.TryParse(target.BaseAddress.Host, out var host) && IPAddress.IsLoopback(host) && host.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>A client speaking from a fresh loopback address when <see cref="OwnAddresses"/>; else from the runner's own.</summary>
    public static HttpClient NewClient(AttackTarget target)
    {
        if (!OwnAddresses(target)) return target.NewClient();

        var source = new IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(2, 255)]);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = target.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
    }

    public static async Task<HttpAnswer> VerifyAsync(HttpClient http, byte[] pdf, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "surat.pdf");
        using var response = await http.PostAsync("/api/v1/verify", form, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpAnswer(response.StatusCode, headers, bytes);
    }

    /// <summary>Null when the answer is one a bounded verification gives; else what is wrong with it.</summary>
    public static string? Unbounded(HttpAnswer answer)
    {
        if (answer.Body.Length > MaxAnswerBytes) return $"{answer.Code} with a {answer.Body.Length:N0}-byte answer";
        return answer.Code switch
        {
            200 => null,
            422 when answer.ProblemCode == "work_limit_exceeded" => null,
            429 when answer.ProblemCode == "verification_rate_limited" && answer.Headers.ContainsKey("Retry-After") => null,
            503 when answer.ProblemCode == "verification_busy" && answer.Headers.ContainsKey("Retry-After") => null,
            _ => $"unexpected answer {answer}",
        };
    }

    /// <summary>How many signatures a 200 answer detailed, of how many, and whether it says it left some out.</summary>
    public static string Summary(HttpAnswer answer)
    {
        if (answer.Code != 200) return answer.ToString();
        var json = JsonDocument.Parse(answer.Body).RootElement;
        var count = json.TryGetProperty("signature_count", out var c) ? c.GetInt32() : -1;
        var truncated = json.TryGetProperty("truncated", out var t) && t.GetBoolean();
        return $"200 with {json.GetProperty("signatures").GetArrayLength()} of {count} signatures detailed (truncated: {truncated}), {answer.Body.Length:N0} bytes";
    }
}
