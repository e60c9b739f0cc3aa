using Meterai.Core.Payments;
using Meterai.PaySim.Tests.Support;

namespace Meterai.PaySim.Tests.Adapter;

/// <summary>GET /sim/calls counts the merchant's gateway API calls per kind and order, outages included.</summary>
public class ApiCallCountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_calls_are_counted_per_order_even_when_an_outage_answers_them()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.ChargeAsync("ORD-COUNT-1", PaymentMethod.Qris);
        await sandbox.ChargeAsync("ORD-COUNT-2", PaymentMethod.Qris);
        for (var i = 0; i < 3; i++) Assert.True((await sandbox.Provider.GetStatusAsync("ORD-COUNT-1", Ct)).IsOk);
        Assert.True((await sandbox.Provider.GetStatusAsync("ORD-COUNT-2", Ct)).IsOk);
        await sandbox.Client.StartOutageAsync(TimeSpan.FromMinutes(5), cancellationToken: Ct);
        Assert.Equal(PaymentErrors.ProviderUnavailable, (await sandbox.Provider.GetStatusAsync("ORD-COUNT-1", Ct)).Error?.Code);
        await sandbox.Client.EndOutageAsync(Ct);

        Assert.Equal(4, await sandbox.Client.StatusCallsAsync("ORD-COUNT-1", Ct));
        Assert.Equal(1, await sandbox.Client.StatusCallsAsync("ORD-COUNT-2", Ct));
        Assert.Equal(0, await sandbox.Client.StatusCallsAsync("ORD-NEVER", Ct));
        var all = await sandbox.Client.CallsAsync(null, Ct);
        Assert.Equal((2L, 5L), (all["charge"], all["status"]));
    }
}
