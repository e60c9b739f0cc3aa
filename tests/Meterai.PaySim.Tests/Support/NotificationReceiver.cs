using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meterai.PaySim.Tests.Support;

/// <summary>One POST the receiver saw, in arrival order, whatever it answered.</summary>
public sealed record ReceivedCall(int Number, string Body, int AnsweredStatus, DateTimeOffset ReceivedAt);

/// <summary>
/// A merchant's notification endpoint for tests: a second real Kestrel host on loopback that records every POST and
/// answers as told (a status code, or no answer at all until the sender gives up).
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    /// <summary>What to do with the n-th call (1-based): a status code to answer, or null to hang until the sender gives up.</summary>
    public delegate int? Behaviour(int callNumber);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private int _count;

    private NotificationReceiver(WebApplication app) => _app = app;

    public Uri NotifyUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedCall> Calls => _calls.ToArray();

    /// <summary>The bodies answered with a 2xx: what the merchant accepted.</summary>
    public IReadOnlyList<string> Accepted => _calls.Where(c => c.AnsweredStatus is >= 200 and < 300).Select(c => c.Body).ToArray();

    public static async Task<NotificationReceiver> StartAsync(Behaviour? behaviour = null)
    {
        behaviour ??= _ => 200;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.MapPost("/notify", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var n = Interlocked.Increment(ref receiver._count);
            var status = behaviour(n);
            receiver._calls.Enqueue(new ReceivedCall(n, body, status ?? 0, DateTimeOffset.UtcNow));
            if (status is null)
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, request.HttpContext.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                return Results.Empty;
            }

            return Results.StatusCode(status.Value);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.NotifyUrl = new Uri(app.Urls.First() + "/notify");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
