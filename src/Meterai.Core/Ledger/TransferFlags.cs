namespace Meterai.Core.Ledger;

/// <summary>How a transfer is applied. At most one of Pending, PostPendingTransfer and VoidPendingTransfer.</summary>
[Flags]
public enum TransferFlags
{
    None = 0,

    /// <summary>This transfer and the next one in the same request commit together or not at all.</summary>
    Linked = 1 << 0,

    /// <summary>Reserve the amount (pending debits/credits) until a post, a void or the timeout.</summary>
    Pending = 1 << 1,

    /// <summary>Resolve the pending transfer <see cref="Transfer.PendingId"/> by posting (all or part of) its amount.</summary>
    PostPendingTransfer = 1 << 2,

    /// <summary>Resolve the pending transfer <see cref="Transfer.PendingId"/> by releasing its amount.</summary>
    VoidPendingTransfer = 1 << 3,
}

public static class TransferFlagsExtensions
{
    public const TransferFlags Known = TransferFlags.Linked | TransferFlags.Pending | TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer;

    public static bool Has(this TransferFlags flags, TransferFlags flag) => (flags & flag) == flag;

    /// <summary>Post or void: the transfer resolves an earlier pending transfer.</summary>
    public static bool Resolves(this TransferFlags flags) =>
        (flags & (TransferFlags.PostPendingTransfer | TransferFlags.VoidPendingTransfer)) != 0;
}
