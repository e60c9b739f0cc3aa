namespace Meterai.Bench.LoadTest;

/// <summary>What `meterai loadtest stamp` drives.</summary>
/// <param name="Url">The service's base address.</param>
/// <param name="Rate">New requests started per second, on schedule whatever the service answers (open arrivals).</param>
/// <param name="Duration">The measured phase.</param>
/// <param name="Warmup">An unmeasured phase at the same rate first (JIT, connection pools, caches).</param>
/// <param name="Files">The PDFs uploaded, in turn.</param>
/// <param name="Connections">Most HTTP/1.1 connections the generator opens (requests beyond wait for one).</param>
/// <param name="Applicants">Applicants the stamps are spread over (each one's quota is its own ledger account).</param>
/// <param name="Rect">The stamp's rectangle on page 1 (the files are A4 portrait).</param>
/// <param name="Timeout">A request not answered by then counts as an error (timeout).</param>
public sealed record StampLoadTestOptions(
    Uri Url,
    double Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    IReadOnlyList<string> Files,
    int Connections,
    int Applicants,
    string OperatorEmail,
    string OperatorPassword,
    string Rect,
    TimeSpan Timeout);
