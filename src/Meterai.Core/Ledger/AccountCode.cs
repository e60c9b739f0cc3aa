namespace Meterai.Core.Ledger;

/// <summary>
/// What an account holds: the chart of accounts. One unit everywhere is one stamp (Rp10.000 of duty), so amounts are
/// whole stamps. Quota flows:
/// <code>
///   minted ──mint──> issuer stock ──channel_deposit──> channel deposit ──sale──> user quota
///                          └───────────────sale (direct)──────────────────────────┘
///   user quota ──stamp (pending: reserve; post: stamped; void/timeout: released)──> consumed
///   user quota / channel deposit ──refund──> refunded        (unused quota bought back)
/// </code>
/// <c>minted</c> has no limit: its debit balance is the total quota ever minted. Every account holding somebody's quota
/// has <see cref="AccountFlags.DebitsMustNotExceedCredits"/>, so no one can spend quota they do not hold. The books
/// balance because every transfer debits one account and credits another by the same amount.
/// </summary>
public static class AccountCode
{
    public const int Minted = 1;
    public const int IssuerStock = 2;
    public const int ChannelDeposit = 3;
    public const int UserQuota = 4;
    public const int Consumed = 5;
    public const int Refunded = 6;
}

/// <summary>Why a transfer happened (its <see cref="Transfer.Code"/>). Post/void inherit the pending transfer's code.</summary>
public static class TransferCode
{
    public const int Mint = 1;
    public const int ChannelDeposit = 2;
    public const int Sale = 3;
    public const int Stamp = 4;
    public const int Refund = 5;
}
