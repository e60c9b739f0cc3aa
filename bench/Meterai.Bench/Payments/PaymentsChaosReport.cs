using Meterai.Core.Orders;

namespace Meterai.Bench.Payments;

/// <summary>What the chaos scenario counted. <see cref="Passed"/> is the "done when".</summary>
public sealed record PaymentsChaosReport
{
    public required int Buyers { get; init; }
    public required int OrdersPlaced { get; init; }
    public required IReadOnlyList<string> OrderFailures { get; init; }
    public required int Kills { get; init; }
    public required int OrdersAtFirstKill { get; init; }
    public required int PaymentsMade { get; init; }
    public required int PaymentsRefused { get; init; }
    public required int SettledByProvider { get; init; }
    public required int Credited { get; init; }
    public required int CreditedTwice { get; init; }
    public required int CreditedWithoutPayment { get; init; }
    public required int SettledNotCredited { get; init; }
    public required long PaidNotCreditedHealth { get; init; }
    public required IReadOnlyDictionary<OrderState, long> States { get; init; }
    public required int LatePayments { get; init; }
    public required IReadOnlyDictionary<string, long> Events { get; init; }
    public required IReadOnlyDictionary<string, int> Notifications { get; init; }
    public required bool AuditHolds { get; init; }
    public required IReadOnlyList<string> AuditBroken { get; init; }
    public required TimeSpan BuyingTook { get; init; }
    public required TimeSpan ConvergenceTook { get; init; }
    public required TimeSpan Elapsed { get; init; }

    public bool Passed => OrderFailures.Count == 0 && CreditedTwice == 0 && CreditedWithoutPayment == 0 && SettledNotCredited == 0
                          && PaidNotCreditedHealth == 0 && AuditHolds && Credited == SettledByProvider;

    public void Print(TextWriter output)
    {
        output.WriteLine($"buyers: {Buyers:N0}; orders placed: {OrdersPlaced:N0} (failed: {OrderFailures.Count}); server killed (SIGKILL) and restarted: {Kills} (first kill after {OrdersAtFirstKill:N0} orders)");
        output.WriteLine($"payments: {PaymentsMade:N0} made, {PaymentsRefused:N0} refused by the provider (paid after expiry)");
        output.WriteLine($"settled by provider: {SettledByProvider:N0}");
        output.WriteLine($"credited: {Credited:N0}");
        output.WriteLine($"credited twice: {CreditedTwice}");
        output.WriteLine($"credited without payment: {CreditedWithoutPayment}");
        output.WriteLine($"settled but not credited: {SettledNotCredited}");
        output.WriteLine($"paid but not credited (operator health) after reconciliation: {PaidNotCreditedHealth}");
        output.WriteLine($"late payments credited: {LatePayments}");
        output.WriteLine("orders by state: " + string.Join(", ", States.Select(s => $"{s.Key.ToWire()} {s.Value:N0}")));
        output.WriteLine("notifications (sandbox outbox copies): " + string.Join(", ", Notifications.OrderBy(n => n.Key).Select(n => $"{n.Key} {n.Value:N0}")));
        output.WriteLine("payment events: " + (Events.Count == 0 ? "none" : string.Join(", ", Events.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value:N0}"))));
        output.WriteLine(AuditHolds ? "audit: every invariant holds" : "audit: BROKEN " + string.Join(", ", AuditBroken));
        output.WriteLine($"time: buying {BuyingTook.TotalSeconds:F1} s, reconciliation converged {ConvergenceTook.TotalSeconds:F1} s later, total {Elapsed.TotalSeconds:F1} s");
        foreach (var failure in OrderFailures.Take(5)) output.WriteLine("order failure: " + failure);
        output.WriteLine(Passed ? "result: PASS (paid ⇒ credited exactly once)" : "result: FAIL");
    }
}
