using Meterai.Core.Ledger;

namespace Meterai.Storage.Ledger;

/// <summary>
/// The ledger's group commit, one per process and store: transfer requests submitted concurrently share one durable
/// transaction. Linked chains never cross a request's boundary, and a request is never split across batches.
/// </summary>
internal sealed class LedgerWriter(LedgerWriter.CommitBatch commit, int maxTransfersPerBatch, TimeSpan gatherWindow)
    : GroupCommitWriter<IReadOnlyList<Transfer>, TransferResult[]>("ledger store", commit, transfers => transfers.Count, maxTransfersPerBatch, gatherWindow)
{
    public new Task<TransferResult[]> SubmitAsync(IReadOnlyList<Transfer> transfers, CancellationToken ct) =>
        transfers.Count == 0 ? Task.FromResult(Array.Empty<TransferResult>()) : base.SubmitAsync(transfers, ct);
}
