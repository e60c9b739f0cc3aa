using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Gateway;
using Meterai.Server.Payments;
using Meterai.Storage;

namespace Meterai.Server;

/// <summary>
/// Wires selling and payments into the server: <c>builder.AddPayments()</c> registers the stores, the provider adapter,
/// the services and the reconciliation worker; <c>app.MapPaymentEndpoints()</c> maps the endpoints.
/// </summary>
public static class PaymentsServices
{
    public static WebApplicationBuilder AddPayments(this WebApplicationBuilder builder)
    {
        var configuration = PaymentsConfiguration.Read(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(configuration);
        services.AddSingleton(configuration.Settings);
        services.AddSingleton(_ => new PaymentsHttp());
        services.AddSingleton(_ => new RefusedNotifications(TimeProvider.System));
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<MeteraiDatabase>().Orders);
        services.AddSingleton<IPriceList>(sp => new PriceList(sp.GetRequiredService<MeteraiDatabase>().Channels, configuration.Settings.DefaultServiceFee));
        services.AddSingleton<IPaymentProvider>(sp => new GatewayPaymentProvider(sp.GetRequiredService<PaymentsHttp>().Client, configuration.Gateway));
        services.AddSingleton(sp => new OrderService(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<ILedgerStore>(),
            sp.GetRequiredService<IPriceList>(), sp.GetRequiredService<IPaymentProvider>(), configuration.Settings, sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => new ChallengeGate(configuration.Settings.Challenges, sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => new NotificationIntake(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<IPaymentProvider>(),
            configuration.Settings, sp.GetRequiredService<ChallengeGate>(), sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => new OrderRechecks(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<OrderService>(), configuration.Settings));
        services.AddSingleton(sp => new PaymentReconciler(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<OrderService>(),
            sp.GetRequiredService<IPaymentProvider>(), configuration.Settings, sp.GetRequiredService<IClock>(), NodeName()));
        services.AddHostedService<ReconciliationService>();
        return builder;
    }

    public static WebApplication MapPaymentEndpoints(this WebApplication app)
    {
        PaymentsApi.RegisterErrorStatuses();
        NotificationEndpoint.Map(app);
        OrderEndpoints.Map(app);
        OperatorPaymentEndpoints.Map(app);
        return app;
    }

    /// <summary>Who holds a lease: readable on the health page, unique per process.</summary>
    private static string NodeName() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>One connection pool to the gateway for the process (the adapter applies its own timeout per call).</summary>
    internal sealed class PaymentsHttp : IDisposable
    {
        public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), MaxConnectionsPerServer = 256 })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        public void Dispose() => Client.Dispose();
    }
}
