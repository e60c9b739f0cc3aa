using System.Collections.Concurrent;
using System.Text;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meterai.PaySim.Notifications;

/// <summary>
/// Sends the outbox to the merchants: POST of the JSON body, 2xx = delivered; anything else (an error status, no
/// answer within the notification timeout, a refused connection) = retry with <see cref="Backoff"/>, forever. All
/// its state is in the store, so a sandbox killed mid-send resumes after a restart; the copy in flight then goes out
/// again, which a merchant must take as one more duplicate. While the provider is in an outage nothing is sent.
/// </summary>
internal sealed class OutboxWorker(
    OutboxStore outbox,
    OutboxSignal signal,
    FaultState faults,
    PaySimOptions options,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, byte> _inFlight = new();

    // Copies whose delivery finished since the current pass began. A pass reads the queue, and a delivery can finish
    // (and leave _inFlight) between that read and the pass reaching its row: without this set the stale row would be
    // sent a second time.
    private readonly ConcurrentDictionary<long, byte> _finished = new();
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentDeliveries);

    // One client for all merchants; the per-attempt timeout is a token, so the client itself never times out.
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = options.NotificationTimeout,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = options.Clock;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.OutboxPollInterval;
            try
            {
                if (faults.InOutage(out _, out var until))
                {
                    var left = until - clock.UtcNow;
                    wait = left < wait ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(10)) : wait;
                }
                else
                {
                    var now = clock.UtcNow;
                    await outbox.ReleaseExpiredHoldsAsync(now);
                    _finished.Clear();
                    foreach (var (entry, url) in outbox.Due(now, options.MaxConcurrentDeliveries * 4))
                    {
                        if (_finished.ContainsKey(entry.Id) || !_inFlight.TryAdd(entry.Id, 0)) continue;
                        if (_finished.ContainsKey(entry.Id))
                        {
                            _inFlight.TryRemove(entry.Id, out _);
                            continue;
                        }

                        await _slots.WaitAsync(stoppingToken);
                        _ = DeliverAsync(entry, url, stoppingToken);
                    }

                    if (outbox.NextDue() is { } next)
                    {
                        var untilNext = next - clock.UtcNow;
                        if (untilNext < wait) wait = untilNext > TimeSpan.FromMilliseconds(5) ? untilNext : TimeSpan.FromMilliseconds(5);
                    }
                }

                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // The store is the worker's only state: on a storage hiccup wait and read it again.
                logger.LogWarning(e, "outbox pass failed; retrying");
                await Task.Delay(options.OutboxPollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DeliverAsync(OutboxEntry entry, string url, CancellationToken stoppingToken)
    {
        try
        {
            var error = await SendAsync(entry, url, stoppingToken);
            if (stoppingToken.IsCancellationRequested) return; // shutting down: the row stays queued for the next start
            var now = options.Clock.UtcNow;
            if (error is null)
            {
                await outbox.MarkDeliveredAsync(entry, now);
                signal.Wake(); // a delivery may have released held notifications
            }
            else
            {
                var attempts = entry.Attempts + 1;
                var delay = Backoff.Delay(faults.Chance, $"{entry.NotificationId}/{entry.Copy}", attempts, options.RetryBase, options.RetryCap);
                await outbox.MarkFailedAsync(entry, now + delay, error);
                logger.LogDebug("notification {Id} for {Order} failed ({Error}); attempt {Attempt} again in {Delay}", entry.Id, entry.OrderId, error, attempts + 1, delay);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "delivering notification {Id} failed unexpectedly; it stays queued", entry.Id);
        }
        finally
        {
            _finished.TryAdd(entry.Id, 0); // before leaving _inFlight: see _finished
            _inFlight.TryRemove(entry.Id, out _);
            _slots.Release();
        }
    }

    /// <summary>Null on a 2xx, else why not.</summary>
    private async Task<string?> SendAsync(OutboxEntry entry, string url, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.NotificationTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(entry.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-PaySim-Notification-Id", entry.NotificationId);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {options.NotificationTimeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException e)
        {
            return "transport: " + e.Message;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
