using Meterai.Core.Common;
using Meterai.PaySim.Api;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Notifications;
using Meterai.PaySim.Store;
using Meterai.PaySim.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meterai.PaySim;

/// <summary>Builds the sandbox web application: its store (migrated), its merchant, its workers and its endpoints.</summary>
public static class PaySimHost
{
    public static WebApplication Build(PaySimOptions options, Action<ILoggingBuilder>? logging = null)
    {
        if (options.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(options));
        // The folder is the host's content root, which must exist before the builder looks at it (a fresh --data folder).
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Path.GetFullPath(options.DataDirectory),
        });
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logging is null) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        else logging(builder.Logging);

        var database = new PaySimDatabase(options.DataDirectory);
        database.Migrate();
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<IClock>(options.Clock);
        services.AddSingleton(_ => database); // a factory registration, so the container disposes it (lets go of the file)
        services.AddSingleton(new SeededChance(options.Seed));
        services.AddSingleton(sp => new FaultState(options.Faults, sp.GetRequiredService<SeededChance>(), options.Clock));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<MerchantStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<TransactionStore>();
        services.AddSingleton<BasicAuth>();
        services.AddSingleton<ApiCallCounter>();
        services.AddHostedService<OutboxWorker>();
        services.AddHostedService<ExpirySweeper>();

        var app = builder.Build();
        app.Services.GetRequiredService<MerchantStore>()
            .UpsertAsync(options.MerchantId, options.ServerKey, options.NotifyUrl).GetAwaiter().GetResult();
        app.UseMiddleware<ApiCallCounting>();
        app.UseMiddleware<ProviderFaultMiddleware>();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        GatewayEndpoints.Map(app);
        PayPage.Map(app);
        SimEndpoints.Map(app);
        return app;
    }
}
