namespace Meterai.Core.Ledger;

/// <summary>
/// An account with its balances, in whole stamps. Balances only change through transfers; the quota an account can
/// still spend is <see cref="Available"/>.
/// </summary>
public sealed record Account(
    UInt128 Id,
    OwnerKind OwnerKind,
    UInt128 OwnerId,
    int Code,
    AccountFlags Flags,
    long DebitsPending,
    long DebitsPosted,
    long CreditsPending,
    long CreditsPosted,
    DateTimeOffset CreatedAt)
{
    public bool IsClosed => Flags.Has(AccountFlags.Closed);

    /// <summary>Credits posted minus debits posted and reserved: what a quota holder can still spend.</summary>
    public long Available => CreditsPosted - DebitsPosted - DebitsPending;

    public static Account Open(NewAccount a, DateTimeOffset createdAt) =>
        new(a.Id, a.OwnerKind, a.OwnerId, a.Code, a.Flags, 0, 0, 0, 0, createdAt);

    /// <summary>True when the balances equal <paramref name="other"/>'s (flags included): nothing to write.</summary>
    public bool SameState(Account other) =>
        Flags == other.Flags && DebitsPending == other.DebitsPending && DebitsPosted == other.DebitsPosted
        && CreditsPending == other.CreditsPending && CreditsPosted == other.CreditsPosted;
}
