using Meterai.Core.Common;

namespace Meterai.Core.Ledger;

/// <summary>
/// The platform's well-known accounts, with fixed ids so that every node and every tool names them the same way.
/// Created (idempotently) at start-up: <c>ledger.CreateAccountsAsync(SystemAccounts.All)</c>.
/// </summary>
public static class SystemAccounts
{
    /// <summary>Source of all quota; debited by every mint.</summary>
    public static readonly NewAccount Minted = new(1, OwnerKind.System, 0, AccountCode.Minted, AccountFlags.None);

    /// <summary>Sink of stamps that were used; credited when a stamp reservation is posted.</summary>
    public static readonly NewAccount Consumed = new(2, OwnerKind.System, 0, AccountCode.Consumed, AccountFlags.None);

    /// <summary>Sink of unused quota that was bought back.</summary>
    public static readonly NewAccount Refunded = new(3, OwnerKind.System, 0, AccountCode.Refunded, AccountFlags.None);

    public static IReadOnlyList<NewAccount> All { get; } = [Minted, Consumed, Refunded];

    /// <summary>
    /// The id of the account with the given owner and code, the same on every node (so creating it twice is an
    /// idempotent replay, not a second account).
    /// </summary>
    public static UInt128 AccountIdFor(OwnerKind kind, UInt128 ownerId, int code) =>
        DerivedId.From($"meterai/ledger/account/v1/{(short)kind}/{code}", ownerId);
}
