namespace Meterai.Core.Common;

/// <summary>
/// One invariant's verdict from an audit of live data. <paramref name="Name"/> is stable snake_case (operators grep
/// for it); <paramref name="Detail"/> says what was counted, or what broke.
/// </summary>
public sealed record InvariantCheck(string Name, bool Holds, string Detail);

/// <summary>The verdicts of an audit, in the order they were checked.</summary>
public sealed record AuditReport(IReadOnlyList<InvariantCheck> Checks)
{
    public bool AllHold => Checks.All(c => c.Holds);

    public IEnumerable<InvariantCheck> Broken => Checks.Where(c => !c.Holds);
}
