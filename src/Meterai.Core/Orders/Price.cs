using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// What one stamp costs a buyer: the duty's face value (Rp10.000, fixed by law) plus the seller's service fee, which the
/// operator sets per channel. Whole Rupiah only (the gateway has no cents).
/// </summary>
public readonly record struct UnitPrice(Rupiah FaceValue, Rupiah ServiceFee)
{
    /// <summary>The stamp duty of one e-Meterai (Undang-Undang No. 10 Tahun 2020).</summary>
    public static readonly Rupiah StampDuty = new(10_000);

    public static UnitPrice WithFee(Rupiah serviceFee) => new(StampDuty, serviceFee);

    public Rupiah Unit => FaceValue + ServiceFee;

    public Rupiah Total(int quantity) => new(checked(Unit.Value * quantity));
}

/// <summary>The operator's price list: a service fee per channel, and the default for everyone else.</summary>
public interface IPriceList
{
    /// <summary>The price for orders by <paramref name="channelId"/> (null: an applicant buying directly).</summary>
    Task<UnitPrice> PriceForAsync(UInt128? channelId, CancellationToken cancellationToken = default);
}

/// <summary>Per-channel service fees as the operator set them (the storage port behind <see cref="IPriceList"/>).</summary>
public interface IChannelPriceStore
{
    /// <summary>The channel's service fee, or null when the operator set none (the default applies).</summary>
    Task<Rupiah?> ServiceFeeAsync(UInt128 channelId, CancellationToken cancellationToken = default);

    /// <summary>Sets (or replaces) a channel's service fee; idempotent.</summary>
    Task SetServiceFeeAsync(UInt128 channelId, Rupiah serviceFee, CancellationToken cancellationToken = default);
}

/// <summary>A channel's own fee where the operator set one, the configured default otherwise.</summary>
public sealed class PriceList(IChannelPriceStore store, Rupiah defaultServiceFee) : IPriceList
{
    public async Task<UnitPrice> PriceForAsync(UInt128? channelId, CancellationToken cancellationToken = default)
    {
        if (channelId is { } id && await store.ServiceFeeAsync(id, cancellationToken).ConfigureAwait(false) is { } fee) return UnitPrice.WithFee(fee);
        return UnitPrice.WithFee(defaultServiceFee);
    }
}
