namespace Meterai.PaySim.Faults;

/// <summary>What happens to one notification (the order's <c>EventSeq</c>-th), decided when it is written to the outbox.</summary>
public sealed record FaultDecision(string OrderId, int EventSeq, string TransactionStatus, int Copies, bool Reordered, bool Delayed, bool Dropped);

/// <summary>Draws the faults of a notification from the seeded chance: the same seed, order and event number always give the same decision.</summary>
public static class FaultPlan
{
    public static FaultDecision Decide(SeededChance chance, FaultSettings settings, string orderId, int eventSeq, string transactionStatus)
    {
        // A dropped notification is never sent, so the other faults would be invisible: they are not drawn.
        if (chance.Happens(settings.Drop, "drop", orderId, eventSeq))
        {
            return new FaultDecision(orderId, eventSeq, transactionStatus, 1, false, false, true);
        }

        var copies = 1;
        if (chance.Happens(settings.Duplicate, "duplicate", orderId, eventSeq))
        {
            copies = 2 + (int)(chance.Draw("copies", orderId, eventSeq) * (settings.MaxCopies - 1));
        }

        var reordered = chance.Happens(settings.Reorder, "reorder", orderId, eventSeq);
        var delayed = chance.Happens(settings.Delay, "delay", orderId, eventSeq);
        return new FaultDecision(orderId, eventSeq, transactionStatus, copies, reordered, delayed, false);
    }
}
