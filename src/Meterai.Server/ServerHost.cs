using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Storage;

namespace Meterai.Server;

/// <summary>Builds the web application; shared by Program and the integration tests (which start real Kestrel).</summary>
public static class ServerHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // `dotnet run --project src/Meterai.Server` runs from the repository root; data lives under ./data there.
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddEnvironmentVariables("METERAI_");
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Opened (and migrated) before the server listens: a node that cannot reach its database never takes traffic.
        var databaseOptions = DatabaseConfiguration.Read(builder.Configuration, builder.Environment.ContentRootPath);
        var database = MeteraiDatabase.OpenAsync(databaseOptions).GetAwaiter().GetResult();
        builder.Services.AddSingleton(_ => database); // created by a factory, so the container disposes it at shutdown
        builder.Services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<MeteraiDatabase>().Ledger);
        builder.Services.AddSingleton<ISerialStore>(sp => sp.GetRequiredService<MeteraiDatabase>().Serials);
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddHostedService<PendingTransferSweeperService>();
        builder.AddPayments();

        var app = builder.Build();
        app.MapPaymentEndpoints();
        app.MapGet("/health", async (MeteraiDatabase db, CancellationToken ct) =>
        {
            var error = await db.CheckHealthAsync(ct);
            return error is null
                ? Results.Ok(new { status = "ok", database = db.Provider.Name() })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "database unavailable", detail: error.Message,
                    extensions: new Dictionary<string, object?> { ["code"] = error.Code });
        });
        return app;
    }
}
