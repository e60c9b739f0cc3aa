namespace Meterai.Core.Common;

/// <summary>
/// One invariant's verdict from an audit of live data. <paramref name="Name"/> is stable snake_case (operators grep
/// for it); <paramref name="Detail"/> says what was counted, or what broke; <paramref name="FirstBroken"/> names the
/// first records that break it (order ids for the payments invariants, at most the audit's limit), so an operator can
/// look at them or recheck them; null where the invariant holds or names none.
/// </summary>
public sealed record InvariantCheck(string Name, bool Holds, string Detail, IReadOnlyList<string>? FirstBroken = null);

/// <summary>The verdicts of an audit, in the order they were checked.</summary>
public sealed record AuditReport(IReadOnlyList<InvariantCheck> Checks)
{
    public bool AllHold => Checks.All(c => c.Holds);

    public IEnumerable<InvariantCheck> Broken => Checks.Where(c => !c.Holds);
}
