using Meterai.Core.Ledger;

namespace Meterai.Storage.Tests.Simulation;

/// <summary>
/// Draws random requests from a seeded generator: the quota flow (mint → issuer → channel → user → pending stamp →
/// post/void, refunds), and everything that must be refused (overdrafts, closed or unknown accounts, bad amounts,
/// reused ids, resolutions of resolved or unknown pending transfers), with linked chains mixed in.
/// </summary>
internal sealed class OperationGenerator(Random random, SimulationWorld world, LedgerModel model)
{
    private readonly List<Transfer> _history = [];
    private readonly List<UInt128> _pendings = [];

    public List<Transfer> NextRequest(int maxSize)
    {
        var size = 1 + random.Next(maxSize);
        var request = new List<Transfer>(size);
        for (var i = 0; i < size; i++) request.Add(NextTransfer());
        // One request in eight carries a linked chain of 2-4 transfers somewhere in it.
        if (size >= 2 && random.Next(8) == 0)
        {
            var length = Math.Min(size, 2 + random.Next(3));
            var start = random.Next(size - length + 1);
            for (var k = start; k < start + length - 1; k++) request[k] = request[k] with { Flags = request[k].Flags | TransferFlags.Linked };
        }

        // Rarely, a chain left open at the end of the request.
        if (random.Next(200) == 0) request[^1] = request[^1] with { Flags = request[^1].Flags | TransferFlags.Linked };
        foreach (var t in request)
        {
            if (_history.Count < 2_000) _history.Add(t);
            else _history[random.Next(_history.Count)] = t;
            if (t.Flags.HasFlag(TransferFlags.Pending) && t.Id != UInt128.Zero) _pendings.Add(t.Id);
        }

        return request;
    }

    private Transfer NextTransfer()
    {
        var id = LedgerId.New();
        var r = random.Next(100);
        return r switch
        {
            < 6 => new Transfer(id, SystemAccounts.Minted.Id, world.Issuer, 20 + random.Next(300), TransferCode.Mint),
            < 16 => new Transfer(id, world.Issuer, Pick(world.Channels), 1 + random.Next(20), TransferCode.ChannelDeposit),
            < 30 => new Transfer(id, Pick(world.Channels), Pick(world.Users), 1 + random.Next(8), TransferCode.Sale),
            < 46 => new Transfer(id, Pick(world.Users), SystemAccounts.Consumed.Id, 1 + random.Next(3), TransferCode.Stamp, TransferFlags.Pending,
                TimeoutSeconds: random.Next(2) == 0 ? 0u : (uint)(1 + random.Next(120))),
            < 58 => Resolve(id, TransferFlags.PostPendingTransfer),
            < 66 => Resolve(id, TransferFlags.VoidPendingTransfer),
            < 70 => new Transfer(id, Pick(world.Users), SystemAccounts.Refunded.Id, 1 + random.Next(3), TransferCode.Refund),
            < 75 => Replay(sameBody: true),
            < 78 => Replay(sameBody: false),
            < 84 => BadInput(id),
            < 88 => new Transfer(id, Pick(world.Users), SystemAccounts.Consumed.Id, 5_000, TransferCode.Stamp,
                random.Next(2) == 0 ? TransferFlags.Pending : TransferFlags.None),
            < 91 => random.Next(2) == 0
                ? new Transfer(id, Pick(world.Closable), Pick(world.Users), 1, TransferCode.Sale)
                : new Transfer(id, Pick(world.Channels), Pick(world.Closable), 1, TransferCode.Sale),
            < 94 => new Transfer(id, world.Plain, world.CreditLimited, 1 + random.Next(2), TransferCode.Refund),
            < 96 => new Transfer(id, world.CreditLimited, world.Plain, 1, TransferCode.Refund),
            _ => new Transfer(id, 0, 0, 0, 0, random.Next(2) == 0 ? TransferFlags.PostPendingTransfer : TransferFlags.VoidPendingTransfer, LedgerId.New()),
        };
    }

    /// <summary>A post or void of a recent pending transfer: usually still open, sometimes already resolved or expired.</summary>
    private Transfer Resolve(UInt128 id, TransferFlags flag)
    {
        if (_pendings.Count == 0) return new Transfer(id, 0, 0, 0, 0, flag, LedgerId.New());
        var pendingId = _pendings[_pendings.Count - 1 - random.Next(Math.Min(_pendings.Count, 150))];
        var amount = 0L;
        UInt128 debit = 0, credit = 0;
        if (model.Transfers.TryGetValue(pendingId, out var p))
        {
            if (flag == TransferFlags.PostPendingTransfer && random.Next(3) == 0) amount = 1 + random.Next((int)p.Transfer.Amount + 1); // partial, whole, or one too many
            if (random.Next(4) == 0) (debit, credit) = (p.Transfer.DebitAccountId, p.Transfer.CreditAccountId);
            if (random.Next(40) == 0) debit = Pick(world.Users); // most likely another account than the pending one's
        }

        return new Transfer(id, debit, credit, amount, 0, flag, pendingId);
    }

    private Transfer Replay(bool sameBody)
    {
        if (_history.Count == 0) return new Transfer(LedgerId.New(), world.Issuer, Pick(world.Channels), 1, TransferCode.ChannelDeposit);
        var t = _history[random.Next(_history.Count)];
        return sameBody ? t : t with { Amount = t.Amount + 1 + random.Next(3) };
    }

    private Transfer BadInput(UInt128 id) => random.Next(7) switch
    {
        0 => new Transfer(id, Pick(world.Users), SystemAccounts.Consumed.Id, -random.Next(3), TransferCode.Stamp),
        1 => new Transfer(id, LedgerId.New(), Pick(world.Users), 1, TransferCode.Sale),
        2 => new Transfer(id, Pick(world.Users), LedgerId.New(), 1, TransferCode.Sale),
        3 => new Transfer(id, Pick(world.Users), Pick(world.Users), 1, 0),
        4 => new Transfer(0, Pick(world.Users), SystemAccounts.Consumed.Id, 1, TransferCode.Stamp),
        5 => new Transfer(id, world.Issuer, world.Issuer, 1, TransferCode.Sale),
        _ => new Transfer(id, Pick(world.Users), SystemAccounts.Consumed.Id, 1, TransferCode.Stamp, TransferFlags.Pending | TransferFlags.VoidPendingTransfer),
    };

    public UInt128 Pick(IReadOnlyList<UInt128> from) => from[random.Next(from.Count)];
}

/// <summary>The accounts of one simulation run.</summary>
internal sealed record SimulationWorld(
    UInt128 Issuer,
    IReadOnlyList<UInt128> Channels,
    IReadOnlyList<UInt128> Users,
    IReadOnlyList<UInt128> Closable,
    UInt128 Plain,
    UInt128 CreditLimited)
{
    public IEnumerable<UInt128> All => new[] { Issuer, Plain, CreditLimited }.Concat(Channels).Concat(Users).Concat(Closable)
        .Concat(SystemAccounts.All.Select(a => a.Id));
}
