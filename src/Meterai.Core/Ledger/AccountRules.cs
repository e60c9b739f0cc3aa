namespace Meterai.Core.Ledger;

/// <summary>The rules for creating accounts, shared by every store and the test model.</summary>
public static class AccountRules
{
    /// <summary>
    /// Decides one creation against what already exists under its id (in the database or earlier in the same batch).
    /// </summary>
    public static CreateAccountResult Decide(NewAccount a, Account? existing)
    {
        if (a.Id == UInt128.Zero) return CreateAccountResult.IdMustNotBeZero;
        if (existing is not null)
        {
            // Closing sets Closed later; a replay of the original creation is still the same account.
            var same = existing.OwnerKind == a.OwnerKind && existing.OwnerId == a.OwnerId && existing.Code == a.Code
                       && (existing.Flags & ~AccountFlags.Closed) == a.Flags;
            return same ? CreateAccountResult.Exists : CreateAccountResult.AccountIdReused;
        }

        if ((a.Flags & ~AccountFlagsExtensions.Known) != 0 || a.Flags.Has(AccountFlags.Closed)) return CreateAccountResult.FlagsInvalid;
        if (a.Flags.Has(AccountFlags.DebitsMustNotExceedCredits | AccountFlags.CreditsMustNotExceedDebits))
        {
            return CreateAccountResult.FlagsAreMutuallyExclusive;
        }

        if (!a.OwnerKind.IsDefined()) return CreateAccountResult.OwnerKindInvalid;
        if (a.Code == 0) return CreateAccountResult.CodeMustNotBeZero;
        return CreateAccountResult.Ok;
    }

    /// <summary>
    /// Decides a whole batch: results in order, and the accounts to insert. Duplicates inside the batch behave like
    /// replays of the earlier item.
    /// </summary>
    public static (CreateAccountResult[] Results, List<Account> Inserts) DecideBatch(
        IReadOnlyList<NewAccount> accounts, IReadOnlyDictionary<UInt128, Account> existing, DateTimeOffset now)
    {
        var results = new CreateAccountResult[accounts.Count];
        var inserts = new List<Account>();
        var created = new Dictionary<UInt128, Account>();
        for (var i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var prior = created.TryGetValue(a.Id, out var c) ? c : existing.GetValueOrDefault(a.Id);
            results[i] = Decide(a, prior);
            if (results[i] != CreateAccountResult.Ok) continue;
            var account = Account.Open(a, now);
            created[a.Id] = account;
            inserts.Add(account);
        }

        return (results, inserts);
    }
}
