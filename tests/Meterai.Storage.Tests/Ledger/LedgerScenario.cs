using Meterai.Core.Ledger;

namespace Meterai.Storage.Tests.Ledger;

/// <summary>
/// A small world for contract tests, built through the store itself: a funded quota holder, a plain account, a
/// closed account, a credit-limited account, and pending transfers in every state.
/// </summary>
internal sealed record LedgerScenario(
    UInt128 Holder,
    UInt128 Plain,
    UInt128 Closed,
    UInt128 CreditLimited,
    UInt128 SinglePhase,
    UInt128 Pending,
    UInt128 Posted,
    UInt128 Voided,
    UInt128 Expiring)
{
    public const long Funds = 100;
    public const long PendingAmount = 3;
    public const uint ExpiringTimeout = 60;

    public IReadOnlyList<UInt128> Accounts => [Holder, Plain, Closed, CreditLimited];

    public static async Task<LedgerScenario> CreateAsync(ILedgerStore ledger, CancellationToken ct)
    {
        var holder = await Ledger.CreateQuotaHolderAsync(ledger, Funds, ct);
        var plain = await Ledger.CreateAccountAsync(ledger, AccountFlags.None, ct);
        var closed = await Ledger.CreateAccountAsync(ledger, AccountFlags.None, ct);
        var limited = await Ledger.CreateAccountAsync(ledger, AccountFlags.CreditsMustNotExceedDebits, ct);
        var (single, pending, posted, voided, expiring) = (LedgerId.New(), LedgerId.New(), LedgerId.New(), LedgerId.New(), LedgerId.New());
        await Ledger.ExpectOkAsync(ledger, ct,
            new Transfer(single, holder, plain, 1, TransferCode.Sale),
            new Transfer(pending, holder, plain, PendingAmount, TransferCode.Stamp, TransferFlags.Pending),
            new Transfer(posted, holder, plain, PendingAmount, TransferCode.Stamp, TransferFlags.Pending),
            new Transfer(voided, holder, plain, PendingAmount, TransferCode.Stamp, TransferFlags.Pending),
            new Transfer(expiring, holder, plain, PendingAmount, TransferCode.Stamp, TransferFlags.Pending, TimeoutSeconds: ExpiringTimeout));
        await Ledger.ExpectOkAsync(ledger, ct,
            new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.PostPendingTransfer, posted),
            new Transfer(LedgerId.New(), 0, 0, 0, 0, TransferFlags.VoidPendingTransfer, voided));
        Assert.True((await ledger.CloseAccountAsync(closed, ct)).IsOk);
        return new LedgerScenario(holder, plain, closed, limited, single, pending, posted, voided, expiring);
    }
}

/// <summary>Small helpers the ledger tests share.</summary>
internal static class Ledger
{
    public static async Task<UInt128> CreateAccountAsync(ILedgerStore ledger, AccountFlags flags, CancellationToken ct, OwnerKind kind = OwnerKind.User)
    {
        var id = LedgerId.New();
        var code = flags.HasFlag(AccountFlags.DebitsMustNotExceedCredits) ? AccountCode.UserQuota : AccountCode.Consumed;
        var results = await ledger.CreateAccountsAsync([new NewAccount(id, kind, LedgerId.New(), code, flags)], ct);
        Assert.Equal(CreateAccountResult.Ok, Assert.Single(results));
        return id;
    }

    /// <summary>A user quota account (DebitsMustNotExceedCredits) credited with <paramref name="funds"/> minted stamps.</summary>
    public static async Task<UInt128> CreateQuotaHolderAsync(ILedgerStore ledger, long funds, CancellationToken ct)
    {
        var id = await CreateAccountAsync(ledger, AccountFlags.DebitsMustNotExceedCredits, ct);
        if (funds > 0) await ExpectOkAsync(ledger, ct, new Transfer(LedgerId.New(), SystemAccounts.Minted.Id, id, funds, TransferCode.Mint));
        return id;
    }

    public static async Task ExpectOkAsync(ILedgerStore ledger, CancellationToken ct, params Transfer[] transfers)
    {
        var results = await ledger.CreateTransfersAsync(transfers, ct);
        Assert.All(results, r => Assert.Equal(TransferResult.Ok, r));
    }

    public static async Task<Account> AccountAsync(ILedgerStore ledger, UInt128 id, CancellationToken ct) =>
        Assert.Single(await ledger.LookupAccountsAsync([id], ct));

    public static async Task<TransferRecord?> TransferAsync(ILedgerStore ledger, UInt128 id, CancellationToken ct) =>
        (await ledger.LookupTransfersAsync([id], ct)).SingleOrDefault();

    public static async Task<Dictionary<UInt128, Account>> SnapshotAsync(ILedgerStore ledger, IEnumerable<UInt128> ids, CancellationToken ct) =>
        (await ledger.LookupAccountsAsync(ids.ToList(), ct)).ToDictionary(a => a.Id);

    public static async Task AssertAuditHoldsAsync(ILedgerStore ledger, CancellationToken ct)
    {
        var checks = await ledger.AuditAsync(ct);
        Assert.Equal(LedgerInvariant.All, checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }
}
