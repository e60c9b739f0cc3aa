using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>How the live comparison runs.</summary>
/// <param name="IncludeFinal">Ask about every order, also those whose recorded final status the provider confirmed (it cannot change).</param>
/// <param name="Concurrency">Status calls in flight at once.</param>
/// <param name="Listed">How many disagreeing (and unanswered) orders to name.</param>
public sealed record ProviderAuditOptions(bool IncludeFinal = false, int Concurrency = 8, int Listed = PaymentInvariant.DefaultListed)
{
    public int PageSize { get; init; } = 500;
}

/// <summary>One order the comparison names, and why.</summary>
public sealed record ProviderMismatch(OrderId Id, string Why);

/// <summary>Where the comparison stands (for progress lines).</summary>
public sealed record ProviderAuditProgress(long Asked, long Disagreeing, long Unanswered);

/// <summary>What the comparison found.</summary>
/// <param name="Stopped">Why it stopped before asking about every order (the provider refused our server key), if it did.</param>
public sealed record ProviderAuditResult(
    long Asked,
    long Disagreeing,
    IReadOnlyList<ProviderMismatch> FirstDisagreeing,
    long Unanswered,
    IReadOnlyList<ProviderMismatch> FirstUnanswered,
    Error? Stopped)
{
    /// <summary>Every order selected was asked about and answered for.</summary>
    public bool Complete => Unanswered == 0 && Stopped is null;
}

/// <summary>
/// The live comparison behind <c>meterai audit --provider-url</c>: every order whose state the provider may still change
/// (or every order) is asked about with the provider's status API and judged with <see cref="ProviderAgreement"/>. It
/// only reads: pages of orders, and the provider's answers (GETs); nothing is applied, since the audit must not write
/// (an operator's recheck puts a disagreement right). An order found disagreeing is read again before it is named, as
/// it may have caught up (a notification applied) while the provider was asked.
/// </summary>
public sealed class ProviderAudit(IOrderStore orders, IPaymentProvider provider)
{
    /// <summary>The invariant's stable name.</summary>
    public const string Invariant = "orders_agree_with_provider_live";

    private static readonly TimeSpan[] Retries = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    public async Task<ProviderAuditResult> RunAsync(ProviderAuditOptions options, Action<ProviderAuditProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var tally = new Tally(options.Listed);
        OrderId? after = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!stop.IsCancellationRequested)
        {
            var page = await orders.ListForProviderCheckAsync(after, options.PageSize, options.IncludeFinal, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0) break;
            try
            {
                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = stop.Token },
                    async (order, ct) =>
                    {
                        var error = await CheckAsync(order, tally, ct).ConfigureAwait(false);
                        // A refused key refuses every call: asking about the rest would only repeat it.
                        if (error?.Code == PaymentErrors.ProviderUnauthorized && tally.Stop(error)) await stop.CancelAsync().ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            progress?.Invoke(tally.Progress);
            after = page[^1].Id;
        }

        return tally.Result();
    }

    /// <summary>Asks about one order and judges it; returns the provider's error when it gave no answer.</summary>
    private async Task<Error?> CheckAsync(Order order, Tally tally, CancellationToken ct)
    {
        var answer = await AskAsync(order.Id, ct).ConfigureAwait(false);
        if (!answer.IsOk && answer.Error.Code != PaymentErrors.TransactionNotFound)
        {
            tally.Unanswered(new ProviderMismatch(order.Id, answer.Error.ToString()));
            return answer.Error;
        }

        var truth = answer.IsOk ? answer.Value : null;
        var why = ProviderAgreement.Disagreement(order, truth);
        if (why is not null && await orders.GetAsync(order.Id, ct).ConfigureAwait(false) is { } now) why = ProviderAgreement.Disagreement(now, truth);
        tally.Asked(why is null ? null : new ProviderMismatch(order.Id, why));
        return null;
    }

    /// <summary>The status API's answer, asked again a couple of times while the provider is unavailable.</summary>
    private async Task<Result<ProviderTransaction>> AskAsync(OrderId id, CancellationToken ct)
    {
        var answer = await provider.GetStatusAsync(id.Value, ct).ConfigureAwait(false);
        foreach (var wait in Retries)
        {
            if (answer.IsOk || answer.Error.Code != PaymentErrors.ProviderUnavailable) break;
            await Task.Delay(wait, ct).ConfigureAwait(false);
            answer = await provider.GetStatusAsync(id.Value, ct).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>The counts and the first named orders, shared by the parallel checks.</summary>
    private sealed class Tally(int listed)
    {
        private readonly object _lock = new();
        private readonly List<ProviderMismatch> _disagreeing = [];
        private readonly List<ProviderMismatch> _unanswered = [];
        private long _asked;
        private long _disagreeingCount;
        private long _unansweredCount;
        private Error? _stopped;

        public ProviderAuditProgress Progress
        {
            get
            {
                lock (_lock) return new ProviderAuditProgress(_asked, _disagreeingCount, _unansweredCount);
            }
        }

        public void Asked(ProviderMismatch? disagreement)
        {
            lock (_lock)
            {
                _asked++;
                if (disagreement is null) return;
                _disagreeingCount++;
                Keep(_disagreeing, disagreement);
            }
        }

        public void Unanswered(ProviderMismatch why)
        {
            lock (_lock)
            {
                _asked++;
                _unansweredCount++;
                Keep(_unanswered, why);
            }
        }

        /// <summary>Records why the run stops; true for the first such reason.</summary>
        public bool Stop(Error why)
        {
            lock (_lock)
            {
                if (_stopped is not null) return false;
                _stopped = why;
                return true;
            }
        }

        public ProviderAuditResult Result()
        {
            lock (_lock)
            {
                return new ProviderAuditResult(_asked, _disagreeingCount, [.. _disagreeing.OrderBy(m => m.Id.Value, StringComparer.Ordinal)], _unansweredCount,
                    [.. _unanswered.OrderBy(m => m.Id.Value, StringComparer.Ordinal)], _stopped);
            }
        }

        /// <summary>Keeps the first <c>listed</c> by id, whatever order the parallel checks finish in.</summary>
        private void Keep(List<ProviderMismatch> kept, ProviderMismatch item)
        {
            kept.Add(item);
            if (kept.Count <= listed) return;
            kept.Sort((a, b) => StringComparer.Ordinal.Compare(a.Id.Value, b.Id.Value));
            kept.RemoveAt(kept.Count - 1);
        }
    }
}
