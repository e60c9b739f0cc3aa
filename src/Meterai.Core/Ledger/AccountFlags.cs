namespace Meterai.Core.Ledger;

/// <summary>Per-account rules, checked on every transfer that touches the account.</summary>
[Flags]
public enum AccountFlags
{
    None = 0,

    /// <summary>Posted plus pending debits may never exceed posted credits: the account can never go below zero.
    /// Every account that holds someone's quota (issuer stock, channel deposit, user quota) has it.</summary>
    DebitsMustNotExceedCredits = 1 << 0,

    /// <summary>The mirror rule, for accounts that may only ever give back what they took.</summary>
    CreditsMustNotExceedDebits = 1 << 1,

    /// <summary>No new transfer may touch the account; voids of its pending transfers still go through, so reservations
    /// are always released. Set by closing the account, never on creation.</summary>
    Closed = 1 << 2,
}

public static class AccountFlagsExtensions
{
    public const AccountFlags Known = AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits | AccountFlags.Closed;

    public static bool Has(this AccountFlags flags, AccountFlags flag) => (flags & flag) == flag;
}
