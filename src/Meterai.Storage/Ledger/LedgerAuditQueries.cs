using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;

namespace Meterai.Storage.Ledger;

/// <summary>
/// The audit's SQL, written once in the dialect SQLite and PostgreSQL share (CAST, CASE, bitwise &amp;, WITH), and how
/// its counts become verdicts. Each query is one statement, so it sees one consistent state even while writers run;
/// the backends also run them all in one read snapshot.
/// </summary>
internal static class LedgerAuditQueries
{
    /// <summary>Runs one query and returns its single row of integers.</summary>
    public delegate Task<long[]> QueryRow(string sql, CancellationToken ct);

    // flags: 2 pending, 4 post, 8 void. "flags & 10 = 0": single-phase or post, the transfers that move posted amounts.
    private const string BalancesDisagreeSql = """
        WITH moves AS (
            SELECT debit_account_id AS account_id,
                   CASE WHEN flags & 10 = 0 THEN amount ELSE 0 END AS debits_posted,
                   CASE WHEN flags & 2 <> 0 AND pending_state = 1 THEN amount ELSE 0 END AS debits_pending,
                   0 AS credits_posted, 0 AS credits_pending
            FROM transfers
            UNION ALL
            SELECT credit_account_id, 0, 0,
                   CASE WHEN flags & 10 = 0 THEN amount ELSE 0 END,
                   CASE WHEN flags & 2 <> 0 AND pending_state = 1 THEN amount ELSE 0 END
            FROM transfers),
        sums AS (
            SELECT account_id, sum(debits_posted) AS dpo, sum(debits_pending) AS dpe, sum(credits_posted) AS cpo, sum(credits_pending) AS cpe
            FROM moves GROUP BY account_id)
        SELECT count(*),
               (SELECT count(*) FROM (SELECT id FROM transfers GROUP BY id HAVING count(*) > 1) d),
               (SELECT count(*) FROM transfers)
        FROM accounts a LEFT JOIN sums s ON s.account_id = a.id
        WHERE a.debits_posted <> coalesce(s.dpo, 0) OR a.debits_pending <> coalesce(s.dpe, 0)
           OR a.credits_posted <> coalesce(s.cpo, 0) OR a.credits_pending <> coalesce(s.cpe, 0)
        """;

    public static async Task<IReadOnlyList<InvariantCheck>> LedgerAsync(QueryRow query, CancellationToken ct)
    {
        var checks = new List<InvariantCheck>();

        var sums = await query("""
            SELECT CAST(coalesce(sum(debits_posted), 0) AS bigint), CAST(coalesce(sum(credits_posted), 0) AS bigint),
                   CAST(coalesce(sum(debits_pending), 0) AS bigint), CAST(coalesce(sum(credits_pending), 0) AS bigint), count(*)
            FROM accounts
            """, ct).ConfigureAwait(false);
        var balanced = sums[0] == sums[1] && sums[2] == sums[3];
        checks.Add(new InvariantCheck(LedgerInvariant.DebitsEqualCredits, balanced, balanced
            ? $"{sums[4]} accounts: posted {sums[0]} = {sums[1]}, pending {sums[2]} = {sums[3]}"
            : $"posted debits {sums[0]} vs credits {sums[1]}; pending debits {sums[2]} vs credits {sums[3]}"));

        var limits = await query("""
            SELECT count(*) FROM accounts
            WHERE debits_pending < 0 OR debits_posted < 0 OR credits_pending < 0 OR credits_posted < 0
               OR (flags & 1 <> 0 AND debits_posted + debits_pending > credits_posted)
               OR (flags & 2 <> 0 AND credits_posted + credits_pending > debits_posted)
            """, ct).ConfigureAwait(false);
        checks.Add(new InvariantCheck(LedgerInvariant.LimitsHold, limits[0] == 0, limits[0] == 0
            ? "no negative balance, no account beyond its limit"
            : $"{limits[0]} account(s) below zero or beyond their limit"));

        var pending = await query("""
            SELECT (SELECT count(*) FROM (SELECT pending_id FROM transfers WHERE pending_id IS NOT NULL
                                          GROUP BY pending_id HAVING count(*) > 1) d),
                   (SELECT count(*) FROM transfers p LEFT JOIN transfers r ON r.pending_id = p.id
                    WHERE p.flags & 2 <> 0 AND NOT (
                           (p.pending_state = 1 AND r.id IS NULL)
                        OR (p.pending_state = 2 AND r.flags & 4 <> 0)
                        OR (p.pending_state IN (3, 4) AND r.flags & 8 <> 0))),
                   (SELECT count(*) FROM transfers WHERE flags & 2 <> 0)
            """, ct).ConfigureAwait(false);
        var once = pending[0] == 0 && pending[1] == 0;
        checks.Add(new InvariantCheck(LedgerInvariant.PendingResolvedAtMostOnce, once, once
            ? $"{pending[2]} pending transfers, each resolved at most once, states agree"
            : $"{pending[0]} pending transfer(s) resolved more than once; {pending[1]} whose state disagrees with its post/void"));

        var applied = await query(BalancesDisagreeSql, ct).ConfigureAwait(false);
        var appliedOnce = applied[0] == 0 && applied[1] == 0;
        checks.Add(new InvariantCheck(LedgerInvariant.TransfersAppliedOnce, appliedOnce, appliedOnce
            ? $"{applied[2]} transfers, each once; every account's balances equal the sums of its transfers"
            : $"{applied[0]} account(s) whose balances differ from the sums of their transfers; {applied[1]} duplicated transfer id(s)"));

        var refs = await query("""
            SELECT (SELECT count(*) FROM transfers t
                    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.debit_account_id)
                       OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.credit_account_id)),
                   (SELECT count(*) FROM transfers r
                    WHERE r.pending_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM transfers p WHERE p.id = r.pending_id AND p.flags & 2 <> 0))
            """, ct).ConfigureAwait(false);
        var referenced = refs[0] == 0 && refs[1] == 0;
        checks.Add(new InvariantCheck(LedgerInvariant.TransfersReferenceExisting, referenced, referenced
            ? "every transfer names existing accounts; every post/void names a pending transfer"
            : $"{refs[0]} transfer(s) naming a missing account; {refs[1]} post/void(s) naming no pending transfer"));
        return checks;
    }

    public static async Task<IReadOnlyList<InvariantCheck>> SerialsAsync(QueryRow query, CancellationToken ct)
    {
        var row = await query("""
            SELECT (SELECT count(*) FROM serials
                    WHERE state = 2 AND (document_sha256 IS NULL OR page IS NULL OR stamped_at IS NULL)),
                   (SELECT count(*) FROM (SELECT document_sha256 FROM serials WHERE document_sha256 IS NOT NULL
                                          GROUP BY document_sha256 HAVING count(*) > 1) d),
                   (SELECT count(*) FROM serials s
                    WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = s.pending_transfer_id AND t.flags & 2 <> 0)),
                   (SELECT count(*) FROM serials WHERE state = 2)
            """, ct).ConfigureAwait(false);
        var holds = row[0] == 0 && row[1] == 0 && row[2] == 0;
        return
        [
            new InvariantCheck(SerialInvariant.BoundOnce, holds, holds
                ? $"{row[3]} stamped serials, each bound to one document; no document bound twice"
                : $"{row[0]} stamped serial(s) without a document; {row[1]} document(s) bound to several serials; {row[2]} serial(s) naming no pending transfer"),
        ];
    }
}
