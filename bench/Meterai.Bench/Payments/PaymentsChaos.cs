using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.PaySim.Client;
using Meterai.Storage;

namespace Meterai.Bench.Payments;

/// <summary>
/// The payments chaos scenario, shared by the suite's small chaos test and `meterai bench payments` (10,000 buyers):
/// concurrent buyers order through the server (retrying with their Idempotency-Key whenever it is down) and pay at the
/// sandbox, which duplicates, reorders, drops and delays notifications as it was told, while the server is SIGKILLed
/// and restarted; then reconciliation is given time to converge, and the books are compared with the provider's
/// truth: every order the provider settled credited exactly once, nothing credited without payment, no order paid but
/// not credited, the audit holding.
/// </summary>
public sealed class PaymentsChaos(PaymentsChaosOptions options, IChaosServer server, PaySimClient sandbox, MeteraiDatabase database, TextWriter log)
{
    private readonly ConcurrentBag<string> _failures = [];
    private readonly ConcurrentDictionary<string, ChaosBuyer> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _latePayers = [];
    private int _payments;
    private int _refused;
    private int _kills;
    private int _ordersAtFirstKill = -1;

    public async Task<PaymentsChaosReport> RunAsync(IReadOnlyList<ChaosBuyer> buyers, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var buying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var killer = Task.Run(() => KillAsync(buying.Token), CancellationToken.None);

        var random = new Random(options.Seed);
        var plans = buyers.Select((b, i) => (Buyer: b, Index: i, Quantity: random.Next(1, options.MaxQuantity + 1), Roll: random.NextDouble())).ToList();
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (plan, ct) =>
            {
                // Arrivals spread evenly over the window (in order, so a waiting slot never holds up an earlier buyer).
                var startAt = options.ArrivalWindow * plan.Index / Math.Max(1, buyers.Count) - total.Elapsed;
                if (startAt > TimeSpan.Zero) await Task.Delay(startAt, ct).ConfigureAwait(false);
                await BuyAsync(http, plan.Buyer, plan.Index, plan.Quantity, plan.Roll, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        await Task.WhenAll(_latePayers).ConfigureAwait(false);
        var buyingTook = total.Elapsed;
        await buying.CancelAsync().ConfigureAwait(false);
        await killer.ConfigureAwait(false);
        if (!server.IsRunning) await server.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync($"[chaos] buying done in {buyingTook.TotalSeconds:F1} s: {_orders.Count} orders, {_payments} payments, {_kills} kills; waiting for reconciliation").ConfigureAwait(false);

        var converging = Stopwatch.StartNew();
        var outcome = await ConvergeAsync(cancellationToken).ConfigureAwait(false);
        var convergenceTook = converging.Elapsed;
        return await ReportAsync(buyers, outcome, buyingTook, convergenceTook, total, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One buyer: order (retrying through crashes), then pay, pay twice, never pay, or pay after the expiry.</summary>
    private async Task BuyAsync(HttpClient http, ChaosBuyer buyer, int index, int quantity, double roll, CancellationToken ct)
    {
        var orderId = await PlaceAsync(http, buyer, index, quantity, ct).ConfigureAwait(false);
        if (orderId is null) return;
        if (roll < options.NeverPay) return;
        if (roll < options.NeverPay + options.PayAfterExpiry)
        {
            // Comes back after the order expired: waits outside the buyers' slots.
            _latePayers.Add(Task.Run(async () =>
            {
                await Task.Delay(options.OrderExpiry + TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                await PayAsync(orderId, ct).ConfigureAwait(false);
            }, ct));
            return;
        }

        await PayAsync(orderId, ct).ConfigureAwait(false);
        if (roll < options.NeverPay + options.PayAfterExpiry + options.PayTwice) await PayAsync(orderId, ct).ConfigureAwait(false);
    }

    private async Task<string?> PlaceAsync(HttpClient http, ChaosBuyer buyer, int index, int quantity, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        string? token = null;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                token ??= await buyer.Token(http, ct).ConfigureAwait(false);
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/orders") { Content = JsonContent.Create(new { quantity, method = "qris" }) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("Idempotency-Key", $"chaos-{options.Seed}-{index}");
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
                    _orders[id] = buyer;
                    return id;
                }

                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == HttpStatusCode.Unauthorized) token = null; // expired, or signed by a key the new process reloads
                else if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests) break;
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // the server is down (killed): try again with the same Idempotency-Key
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "timeout";
            }

            await Task.Delay(Random.Shared.Next(100, 400), ct).ConfigureAwait(false);
        }

        _failures.Add($"buyer {buyer.Name}: {last}");
        return null;
    }

    private async Task PayAsync(string orderId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var paid = await sandbox.PayAsync(orderId, ct).ConfigureAwait(false);
                if (paid.IsOk) Interlocked.Increment(ref _payments);
                else Interlocked.Increment(ref _refused);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task KillAsync(CancellationToken ct)
    {
        try
        {
            while (_kills < options.Kills)
            {
                await Task.Delay(options.KillEvery, ct).ConfigureAwait(false);
                server.Kill();
                if (Interlocked.Increment(ref _kills) == 1) _ordersAtFirstKill = _orders.Count;
                await log.WriteLineAsync($"[chaos] server killed (SIGKILL) #{_kills} with {_orders.Count} orders placed, {_payments} payments made").ConfigureAwait(false);
                await Task.Delay(options.DownFor, CancellationToken.None).ConfigureAwait(false);
                await server.StartAgainAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private sealed record Books(IReadOnlySet<string> Paid, IReadOnlyList<Order> Orders, IReadOnlyDictionary<string, TransferRecord> Credits);

    /// <summary>Waits until every order the provider was paid for is credited and the sandbox has nothing left to send (bounded).</summary>
    private async Task<Books> ConvergeAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + options.ConvergeWithin;
        while (true)
        {
            var books = await ReadBooksAsync(ct).ConfigureAwait(false);
            var uncredited = books.Paid.Count(id => !books.Credits.ContainsKey(id));
            var open = books.Orders.Count(o => o.State.AwaitsPayment() || o.State == OrderState.Paid);
            var outbox = (await sandbox.NotificationsAsync(null, ct).ConfigureAwait(false)).Count(n => n.State is "queued" or "held");
            if ((uncredited == 0 && open == 0 && outbox == 0) || DateTime.UtcNow > deadline)
            {
                if (uncredited + open + outbox > 0)
                {
                    await log.WriteLineAsync($"[chaos] gave up waiting: {uncredited} paid orders uncredited, {open} orders open, {outbox} notifications unsent").ConfigureAwait(false);
                }

                return books;
            }

            await Task.Delay(1000, ct).ConfigureAwait(false);
        }
    }

    private async Task<Books> ReadBooksAsync(CancellationToken ct)
    {
        var paid = await sandbox.PaidOrderIdsAsync(ct).ConfigureAwait(false);
        var orders = new List<Order>();
        for (var offset = 0; ; offset += 1000)
        {
            var page = await database.Orders.ListByStateAsync(null, offset, 1000, ct).ConfigureAwait(false);
            orders.AddRange(page);
            if (page.Count < 1000) break;
        }

        var credits = new Dictionary<string, TransferRecord>(StringComparer.Ordinal);
        foreach (var chunk in orders.Chunk(1000))
        {
            var byId = chunk.ToDictionary(o => o.CreditTransferId, o => o.Id.Value);
            foreach (var t in await database.Ledger.LookupTransfersAsync(byId.Keys.ToList(), ct).ConfigureAwait(false)) credits[byId[t.Id]] = t;
        }

        return new Books(paid, orders, credits);
    }

    private async Task<PaymentsChaosReport> ReportAsync(IReadOnlyList<ChaosBuyer> buyers, Books books, TimeSpan buyingTook, TimeSpan convergenceTook,
        Stopwatch total, CancellationToken ct)
    {
        var ours = books.Orders.ToDictionary(o => o.Id.Value, StringComparer.Ordinal);
        // Credited twice: a credit transfer is unique per order by its derived id, so a second credit could only hide in
        // a buyer's balance; every buyer's quota must equal the quantities of its credited orders, no more.
        var expected = new Dictionary<UInt128, long>();
        foreach (var (id, transfer) in books.Credits) expected[ours[id].QuotaAccountId] = expected.GetValueOrDefault(ours[id].QuotaAccountId) + transfer.Transfer.Amount;
        var accounts = new Dictionary<UInt128, Account>();
        foreach (var chunk in buyers.Select(b => b.QuotaAccountId).Distinct().Chunk(1000))
        {
            foreach (var a in await database.Ledger.LookupAccountsAsync(chunk, ct).ConfigureAwait(false)) accounts[a.Id] = a;
        }

        var twice = buyers.Select(b => b.QuotaAccountId).Distinct()
            .Count(a => (accounts.TryGetValue(a, out var acc) ? acc.CreditsPosted : 0) != expected.GetValueOrDefault(a));
        twice += books.Credits.Count(c => c.Value.Transfer.Amount != ours[c.Key].Quantity);

        var health = await database.Orders.HealthAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        var audit = await database.AuditAsync(ct).ConfigureAwait(false);
        var notifications = (await sandbox.NotificationsAsync(null, ct).ConfigureAwait(false)).GroupBy(n => n.State).ToDictionary(g => g.Key, g => g.Count());
        return new PaymentsChaosReport
        {
            Buyers = buyers.Count,
            OrdersPlaced = _orders.Count,
            OrderFailures = [.. _failures],
            Kills = _kills,
            OrdersAtFirstKill = _ordersAtFirstKill,
            PaymentsMade = _payments,
            PaymentsRefused = _refused,
            SettledByProvider = books.Paid.Count,
            Credited = books.Credits.Count,
            CreditedTwice = twice,
            CreditedWithoutPayment = books.Credits.Keys.Count(id => !books.Paid.Contains(id)),
            SettledNotCredited = books.Paid.Count(id => !books.Credits.ContainsKey(id)),
            PaidNotCreditedHealth = health.PaidNotCredited,
            States = health.OrdersByState,
            LatePayments = books.Orders.Count(o => o.LatePayment),
            Events = health.EventsLastDayByCode,
            Notifications = notifications,
            AuditHolds = audit.AllHold,
            AuditBroken = audit.Broken.Select(b => $"{b.Name}: {b.Detail}").ToList(),
            BuyingTook = buyingTook,
            ConvergenceTook = convergenceTook,
            Elapsed = total.Elapsed,
        };
    }
}
