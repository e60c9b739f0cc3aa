using Meterai.Core.Channels;
using Meterai.Core.Payments;

namespace Meterai.Core.Orders;

/// <summary>
/// What one stamp costs a buyer: the duty's face value (Rp10.000, fixed by law) plus the service fee of the buyer's
/// channel, which the issuer admin sets on the channel record (<see cref="Channel.ServiceFee"/>). Whole Rupiah only.
/// </summary>
public readonly record struct UnitPrice(Rupiah FaceValue, Rupiah ServiceFee)
{
    /// <summary>The stamp duty of one e-Meterai (Undang-Undang No. 10 Tahun 2020).</summary>
    public static readonly Rupiah StampDuty = new(Channel.FaceValue);

    public static UnitPrice WithFee(Rupiah serviceFee) => new(StampDuty, serviceFee);

    public Rupiah Unit => FaceValue + ServiceFee;

    public Rupiah Total(int quantity) => new(checked(Unit.Value * quantity));
}

/// <summary>The price list: a buyer pays its channel's price per stamp.</summary>
public interface IPriceList
{
    /// <summary>The price for orders by a buyer of <paramref name="channelId"/>.</summary>
    Task<UnitPrice> PriceForAsync(UInt128 channelId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Prices from the channel records: a channel's own service fee; for the built-in <c>direct</c> channel (applicants who
/// registered themselves and buy from the issuer), whose record the API does not let anyone edit, the configured default
/// (<c>Payments:DefaultServiceFee</c>). A channel that does not exist (deleted, or a token from another installation)
/// pays the default too.
/// </summary>
public sealed class PriceList(IChannelStore channels, Rupiah directServiceFee) : IPriceList
{
    public async Task<UnitPrice> PriceForAsync(UInt128 channelId, CancellationToken cancellationToken = default)
    {
        if (channelId == Channel.DirectId) return UnitPrice.WithFee(directServiceFee);
        var channel = await channels.GetAsync(channelId, cancellationToken).ConfigureAwait(false);
        return UnitPrice.WithFee(channel is null ? directServiceFee : new Rupiah(channel.ServiceFee));
    }
}
