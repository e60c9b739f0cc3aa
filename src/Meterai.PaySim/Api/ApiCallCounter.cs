using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Meterai.PaySim.Api;

/// <summary>
/// Counts the calls merchants make to the gateway API, by kind and order, since the sandbox started (GET /sim/calls).
/// A status call costs a real merchant part of its API quota, so tests count them here, at the provider, to prove
/// what a flood of notifications makes the service ask. Counted before the fault middleware: a call answered 503 in an
/// outage was still made. In memory: a restarted sandbox counts from zero.
/// </summary>
public sealed class ApiCallCounter
{
    private readonly ConcurrentDictionary<(string Kind, string OrderId), long> _calls = new();

    /// <summary>The kind of a /v2 call ("charge", "status", "refund", "settlements"), and its order id when it names one.</summary>
    public static (string Kind, string? OrderId)? Classify(string method, PathString path)
    {
        if (!path.StartsWithSegments("/v2", out var rest)) return null;
        var parts = (rest.Value ?? "").Trim('/').Split('/');
        return (method, parts) switch
        {
            ("POST", ["charge"]) => ("charge", null),
            ("GET", ["settlements"]) => ("settlements", null),
            ("GET", [var id, "status"]) => ("status", Uri.UnescapeDataString(id)),
            ("POST", [var id, "refund"]) => ("refund", Uri.UnescapeDataString(id)),
            _ => ("other", null),
        };
    }

    public void Count(string kind, string? orderId) => _calls.AddOrUpdate((kind, orderId ?? ""), 1, (_, n) => n + 1);

    /// <summary>Calls by kind, of one order when given (charges are not counted per order: their order id is in the body).</summary>
    public IReadOnlyDictionary<string, long> ByKind(string? orderId) =>
        _calls.Where(c => orderId is null || c.Key.OrderId == orderId)
            .GroupBy(c => c.Key.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);
}

/// <summary>Counts each gateway API call (<see cref="ApiCallCounter"/>) and passes it on.</summary>
internal sealed class ApiCallCounting(RequestDelegate next, ApiCallCounter counter)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (ApiCallCounter.Classify(context.Request.Method, context.Request.Path) is { } call) counter.Count(call.Kind, call.OrderId);
        return next(context);
    }
}
