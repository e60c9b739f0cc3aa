namespace Meterai.Cli.Attacks;

/// <summary>
/// One attack from the threat model (docs/threat-model.md), run against a live server through its public HTTP API.
/// An attack is written the way the attacker would try it; it answers <see cref="AttackVerdict.Held"/> when the
/// server refused it as the mitigation says, <see cref="AttackVerdict.Breached"/> when the attack worked.
/// Implementations are found by reflection (<see cref="AttackCatalog"/>): adding a class adds it to the set.
/// </summary>
public interface IAttack
{
    /// <summary>Stable kebab-case id, e.g. "refund-from-replayed-settlement"; the threat model names it.</summary>
    string Id { get; }

    /// <summary>The threat-model item it exercises, e.g. "2" (issue 10's numbering) or "10c".</summary>
    string Item { get; }

    /// <summary>What the attacker tries, in one sentence.</summary>
    string Description { get; }

    Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken cancellationToken);
}

public enum AttackVerdict
{
    /// <summary>The server refused the attack the way the mitigation says.</summary>
    Held,

    /// <summary>The attack worked: a defect.</summary>
    Breached,

    /// <summary>The attack could not be tried against this target (say, no access to its one-time codes).</summary>
    Skipped,
}

/// <summary>An attack's result and the evidence for it (status codes, what came back).</summary>
public sealed record AttackOutcome(AttackVerdict Verdict, string Evidence)
{
    public static AttackOutcome Held(string evidence) => new(AttackVerdict.Held, evidence);

    public static AttackOutcome Breached(string evidence) => new(AttackVerdict.Breached, evidence);

    public static AttackOutcome Skipped(string why) => new(AttackVerdict.Skipped, why);
}
