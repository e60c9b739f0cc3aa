namespace Meterai.Core.Ledger;

/// <summary>
/// The ledger's rules, in one place: applies a batch of transfer requests to a snapshot of the accounts and the
/// existing transfers it references, and returns one result per transfer plus the rows to write. Pure: no I/O, no
/// clock (the batch time is an argument), deterministic. Every store runs it inside its write transaction with the
/// snapshot rows locked; the test model runs the very same code.
/// </summary>
/// <remarks>
/// Linked chains never cross requests: each request closes its own chains, so merging several clients' requests into
/// one database transaction cannot bind one client's transfer to another's. A replay (<see cref="TransferResult.Exists"/>)
/// counts as success inside a chain, so retrying a whole committed chain answers <c>exists</c> for each member.
/// </remarks>
public static class LedgerStateMachine
{
    /// <summary>The ids a store must load for <paramref name="requests"/>.</summary>
    public static LedgerReadSet ReadSetFor(IReadOnlyList<IReadOnlyList<Transfer>> requests)
    {
        var pending = new HashSet<UInt128>();
        var transfers = new HashSet<UInt128>();
        var accounts = new HashSet<UInt128>();
        foreach (var request in requests)
        {
            foreach (var t in request)
            {
                if (t.Id != UInt128.Zero) transfers.Add(t.Id);
                if (t.PendingId != UInt128.Zero && t.Flags.Resolves()) pending.Add(t.PendingId);
                if (t.DebitAccountId != UInt128.Zero) accounts.Add(t.DebitAccountId);
                if (t.CreditAccountId != UInt128.Zero) accounts.Add(t.CreditAccountId);
            }
        }

        return new LedgerReadSet([.. pending], [.. transfers], [.. accounts]);
    }

    /// <summary>Applies <paramref name="requests"/> in order at time <paramref name="now"/>.</summary>
    /// <param name="accounts">Every account named by the batch and by the pending transfers it resolves (missing ones are "not found").</param>
    /// <param name="transfers">Existing transfers with the batch's ids and the pending ids it references.</param>
    public static LedgerBatchOutcome Apply(
        IReadOnlyList<IReadOnlyList<Transfer>> requests,
        IReadOnlyDictionary<UInt128, Account> accounts,
        IReadOnlyDictionary<UInt128, TransferRecord> transfers,
        DateTimeOffset now)
    {
        var batch = new Batch(accounts, transfers, now);
        var results = new TransferResult[requests.Count][];
        for (var r = 0; r < requests.Count; r++) results[r] = batch.ApplyRequest(requests[r]);
        return batch.Outcome(results);
    }

    private sealed class Batch
    {
        private readonly IReadOnlyDictionary<UInt128, Account> _originalAccounts;
        private readonly IReadOnlyDictionary<UInt128, TransferRecord> _originalTransfers;
        private readonly Dictionary<UInt128, Account> _accounts;
        private readonly Dictionary<UInt128, TransferRecord> _transfers;
        private readonly DateTimeOffset _now;
        private readonly List<UInt128> _inserted = [];
        private readonly HashSet<UInt128> _touchedAccounts = [];
        private readonly HashSet<UInt128> _touchedPending = [];

        // Undo log of the chain being applied: previous values to restore when a later member fails.
        private readonly List<(UInt128 Id, Account? Account, TransferRecord? Transfer, bool IsAccount)> _undo = [];

        public Batch(IReadOnlyDictionary<UInt128, Account> accounts, IReadOnlyDictionary<UInt128, TransferRecord> transfers, DateTimeOffset now)
        {
            _originalAccounts = accounts;
            _originalTransfers = transfers;
            _accounts = new Dictionary<UInt128, Account>(accounts);
            _transfers = new Dictionary<UInt128, TransferRecord>(transfers);
            _now = now;
        }

        public TransferResult[] ApplyRequest(IReadOnlyList<Transfer> request)
        {
            var results = new TransferResult[request.Count];
            var start = 0;
            while (start < request.Count)
            {
                var end = start;
                while (end < request.Count - 1 && request[end].Flags.Has(TransferFlags.Linked)) end++;
                if (request[end].Flags.Has(TransferFlags.Linked))
                {
                    // The request ends inside a chain: the chain can never close, so none of it applies.
                    for (var k = start; k < end; k++) results[k] = TransferResult.LinkedEventFailed;
                    results[end] = TransferResult.LinkedEventChainOpen;
                    break;
                }

                ApplyChain(request, start, end, results);
                start = end + 1;
            }

            return results;
        }

        private void ApplyChain(IReadOnlyList<Transfer> request, int start, int end, TransferResult[] results)
        {
            _undo.Clear();
            var insertedBefore = _inserted.Count;
            for (var k = start; k <= end; k++)
            {
                var r = ApplyOne(request[k]);
                results[k] = r;
                if (r.IsCommitted()) continue;
                if (start == end) return; // a lone transfer that fails wrote nothing

                Rollback(insertedBefore);
                for (var j = start; j <= end; j++)
                {
                    if (j != k) results[j] = TransferResult.LinkedEventFailed;
                }

                return;
            }
        }

        private void Rollback(int insertedBefore)
        {
            for (var i = _undo.Count - 1; i >= 0; i--)
            {
                var (id, account, transfer, isAccount) = _undo[i];
                if (isAccount) _accounts[id] = account!;
                else if (transfer is null) _transfers.Remove(id);
                else _transfers[id] = transfer;
            }

            _undo.Clear();
            _inserted.RemoveRange(insertedBefore, _inserted.Count - insertedBefore);
        }

        private void SetAccount(Account account)
        {
            _undo.Add((account.Id, _accounts[account.Id], null, true));
            _accounts[account.Id] = account;
            _touchedAccounts.Add(account.Id);
        }

        private void SetTransfer(TransferRecord record)
        {
            _undo.Add((record.Id, null, _transfers.GetValueOrDefault(record.Id), false));
            _transfers[record.Id] = record;
        }

        private TransferResult ApplyOne(in Transfer t)
        {
            if (t.Id == UInt128.Zero) return TransferResult.IdMustNotBeZero;
            if (_transfers.TryGetValue(t.Id, out var existing)) return SameBody(t, existing) ? TransferResult.Exists : TransferResult.TransferIdReused;
            if ((t.Flags & ~TransferFlagsExtensions.Known) != 0) return TransferResult.FlagsInvalid;

            var modes = (t.Flags.Has(TransferFlags.Pending) ? 1 : 0) + (t.Flags.Has(TransferFlags.PostPendingTransfer) ? 1 : 0)
                        + (t.Flags.Has(TransferFlags.VoidPendingTransfer) ? 1 : 0);
            if (modes > 1) return TransferResult.FlagsAreMutuallyExclusive;
            return t.Flags.Resolves() ? ApplyResolution(t) : ApplyNew(t);
        }

        /// <summary>A single-phase transfer, or a pending one (a reservation).</summary>
        private TransferResult ApplyNew(in Transfer t)
        {
            var pending = t.Flags.Has(TransferFlags.Pending);
            if (t.PendingId != UInt128.Zero) return TransferResult.PendingIdMustBeZero;
            if (t.TimeoutSeconds != 0 && !pending) return TransferResult.TimeoutReservedForPendingTransfer;
            if (t.Amount <= 0) return TransferResult.AmountMustBePositive;
            if (t.Code == 0) return TransferResult.CodeMustNotBeZero;
            if (t.DebitAccountId == t.CreditAccountId && t.DebitAccountId != UInt128.Zero) return TransferResult.AccountsMustBeDifferent;
            if (!_accounts.TryGetValue(t.DebitAccountId, out var dr)) return TransferResult.DebitAccountNotFound;
            if (!_accounts.TryGetValue(t.CreditAccountId, out var cr)) return TransferResult.CreditAccountNotFound;
            if (dr.IsClosed) return TransferResult.DebitAccountClosed;
            if (cr.IsClosed) return TransferResult.CreditAccountClosed;

            // Totals include pending amounts: a reservation holds quota exactly like a spend until it is resolved.
            var drTotal = dr.DebitsPosted + dr.DebitsPending;
            var crTotal = cr.CreditsPosted + cr.CreditsPending;
            if (drTotal > long.MaxValue - t.Amount) return TransferResult.OverflowsDebits;
            if (crTotal > long.MaxValue - t.Amount) return TransferResult.OverflowsCredits;
            if (dr.Flags.Has(AccountFlags.DebitsMustNotExceedCredits) && drTotal + t.Amount > dr.CreditsPosted) return TransferResult.ExceedsCredits;
            if (cr.Flags.Has(AccountFlags.CreditsMustNotExceedDebits) && crTotal + t.Amount > cr.DebitsPosted) return TransferResult.ExceedsDebits;

            if (pending)
            {
                SetAccount(dr with { DebitsPending = dr.DebitsPending + t.Amount });
                SetAccount(cr with { CreditsPending = cr.CreditsPending + t.Amount });
            }
            else
            {
                SetAccount(dr with { DebitsPosted = dr.DebitsPosted + t.Amount });
                SetAccount(cr with { CreditsPosted = cr.CreditsPosted + t.Amount });
            }

            DateTimeOffset? expiresAt = pending && t.TimeoutSeconds > 0 ? _now.AddSeconds(t.TimeoutSeconds) : null;
            SetTransfer(new TransferRecord(t, _now, expiresAt, pending ? PendingState.Pending : PendingState.None));
            _inserted.Add(t.Id);
            return TransferResult.Ok;
        }

        /// <summary>A post or a void of an earlier pending transfer.</summary>
        private TransferResult ApplyResolution(in Transfer t)
        {
            var post = t.Flags.Has(TransferFlags.PostPendingTransfer);
            if (t.PendingId == UInt128.Zero) return TransferResult.PendingIdMustNotBeZero;
            if (t.PendingId == t.Id) return TransferResult.PendingIdMustBeDifferent;
            if (t.TimeoutSeconds != 0) return TransferResult.TimeoutReservedForPendingTransfer;
            if (t.Amount < 0) return TransferResult.AmountMustNotBeNegative;
            if (!_transfers.TryGetValue(t.PendingId, out var p)) return TransferResult.PendingTransferNotFound;
            if (!p.Transfer.Flags.Has(TransferFlags.Pending)) return TransferResult.PendingTransferNotPending;
            var pt = p.Transfer;
            if (t.DebitAccountId != UInt128.Zero && t.DebitAccountId != pt.DebitAccountId) return TransferResult.PendingTransferHasDifferentDebitAccount;
            if (t.CreditAccountId != UInt128.Zero && t.CreditAccountId != pt.CreditAccountId) return TransferResult.PendingTransferHasDifferentCreditAccount;
            if (t.Code != 0 && t.Code != pt.Code) return TransferResult.PendingTransferHasDifferentCode;
            if (!post && t.Amount != 0 && t.Amount != pt.Amount) return TransferResult.PendingTransferHasDifferentAmount;
            if (post && t.Amount > pt.Amount) return TransferResult.ExceedsPendingTransferAmount;
            switch (p.PendingState)
            {
                case PendingState.Posted: return TransferResult.PendingTransferAlreadyPosted;
                case PendingState.Voided: return TransferResult.PendingTransferAlreadyVoided;
                case PendingState.Expired: return TransferResult.PendingTransferExpired;
            }

            // Past its timeout a reservation can only be released (that is what expiry does), never spent.
            var expired = p.ExpiresAt is { } at && _now >= at;
            if (post && expired) return TransferResult.PendingTransferExpired;

            var dr = _accounts.TryGetValue(pt.DebitAccountId, out var d) ? d : throw MissingAccount(pt.DebitAccountId);
            var cr = _accounts.TryGetValue(pt.CreditAccountId, out var c) ? c : throw MissingAccount(pt.CreditAccountId);
            // A void must always go through (it only releases), so that closing an account never strands a reservation.
            if (post && dr.IsClosed) return TransferResult.DebitAccountClosed;
            if (post && cr.IsClosed) return TransferResult.CreditAccountClosed;

            var amount = post ? (t.Amount == 0 ? pt.Amount : t.Amount) : pt.Amount;
            if (post)
            {
                SetAccount(dr with { DebitsPending = dr.DebitsPending - pt.Amount, DebitsPosted = dr.DebitsPosted + amount });
                SetAccount(cr with { CreditsPending = cr.CreditsPending - pt.Amount, CreditsPosted = cr.CreditsPosted + amount });
            }
            else
            {
                SetAccount(dr with { DebitsPending = dr.DebitsPending - pt.Amount });
                SetAccount(cr with { CreditsPending = cr.CreditsPending - pt.Amount });
            }

            var state = post ? PendingState.Posted : expired ? PendingState.Expired : PendingState.Voided;
            SetTransfer(p with { PendingState = state });
            _touchedPending.Add(p.Id);
            var resolved = new Transfer(t.Id, pt.DebitAccountId, pt.CreditAccountId, amount, pt.Code, t.Flags, t.PendingId);
            SetTransfer(new TransferRecord(resolved, _now, null, PendingState.None));
            _inserted.Add(t.Id);
            return TransferResult.Ok;
        }

        /// <summary>
        /// Whether a replay carries the body already committed under its id. For post/void, zero fields mean "the
        /// pending transfer's", exactly as when the transfer was first applied.
        /// </summary>
        private bool SameBody(in Transfer t, TransferRecord existing)
        {
            var e = existing.Transfer;
            if (t.Flags != e.Flags || t.PendingId != e.PendingId || t.TimeoutSeconds != e.TimeoutSeconds) return false;
            if (!t.Flags.Resolves())
            {
                return t.DebitAccountId == e.DebitAccountId && t.CreditAccountId == e.CreditAccountId && t.Amount == e.Amount && t.Code == e.Code;
            }

            if (t.DebitAccountId != UInt128.Zero && t.DebitAccountId != e.DebitAccountId) return false;
            if (t.CreditAccountId != UInt128.Zero && t.CreditAccountId != e.CreditAccountId) return false;
            if (t.Code != 0 && t.Code != e.Code) return false;
            if (t.Amount != 0) return t.Amount == e.Amount;
            // Amount 0 means "the whole pending amount": the same body only if that is what was resolved.
            return _transfers.TryGetValue(e.PendingId, out var p) && p.Transfer.Amount == e.Amount;
        }

        public LedgerBatchOutcome Outcome(TransferResult[][] results)
        {
            var inserted = _inserted.Select(id => _transfers[id]).ToList();
            var resolved = new List<TransferRecord>();
            foreach (var id in _touchedPending)
            {
                if (_originalTransfers.TryGetValue(id, out var before) && _transfers[id].PendingState != before.PendingState)
                {
                    resolved.Add(_transfers[id]);
                }
            }

            var changed = new List<Account>();
            foreach (var id in _touchedAccounts)
            {
                var after = _accounts[id];
                if (!after.SameState(_originalAccounts[id])) changed.Add(after);
            }

            return new LedgerBatchOutcome(results, inserted, resolved, changed);
        }

        private static InvalidOperationException MissingAccount(UInt128 id) =>
            new($"store bug: account {id} of a referenced pending transfer was not loaded with the batch");
    }
}
