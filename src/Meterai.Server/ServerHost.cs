using Meterai.Core.Common;
using Meterai.Core.Ledger;
using Meterai.Core.Serials;
using Meterai.Server.Api;
using Meterai.Server.Distribution;
using Meterai.Server.Identity;
using Meterai.Server.Jobs;
using Meterai.Server.Messaging;
using Meterai.Server.Secrets;
using Meterai.Server.Stamping;
using Meterai.Server.Verification;
using Meterai.Storage;

namespace Meterai.Server;

/// <summary>
/// Builds the web application; shared by Program and the integration tests (which start real Kestrel). Each area
/// registers its services and maps its endpoints through its own pair of extension methods, one line each here.
/// </summary>
public static class ServerHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Command-line arguments (configuration keys as <c>--Key=value</c>).</param>
    /// <param name="configureServices">Runs before the areas register theirs: a test replaces a service here (e.g. the one-time code sender).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
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
        builder.AddSecrets(databaseOptions); // the data folder owner-only before the database is created in it
        var database = MeteraiDatabase.OpenAsync(databaseOptions).GetAwaiter().GetResult();
        builder.Services.AddSingleton(_ => database); // created by a factory, so the container disposes it at shutdown
        builder.Services.AddSingleton(databaseOptions);
        builder.Services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<MeteraiDatabase>().Ledger);
        builder.Services.AddSingleton<ISerialStore>(sp => sp.GetRequiredService<MeteraiDatabase>().Serials);
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddHostedService<PendingTransferSweeperService>();
        builder.AddPayments();
        configureServices?.Invoke(builder.Services);

        builder.AddMessaging(); // after configureServices: a test's code sender wins
        builder.AddApiConventions();
        builder.AddIdentity();
        builder.AddDistribution();
        builder.AddStamping();
        builder.AddJobs();
        builder.AddVerification();

        var app = builder.Build();
        app.UseApiConventions();
        app.MapGet("/health", async (MeteraiDatabase db, CancellationToken ct) =>
        {
            var error = await db.CheckHealthAsync(ct);
            return error is null
                ? Results.Ok(new { status = "ok", database = db.Provider.Name() })
                : ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, error.Code, error.Message);
        }).WithTags("Service").Problems(503, "database_unavailable");
        app.MapIdentityEndpoints();
        app.MapDistributionEndpoints();
        app.MapStampingEndpoints();
        app.MapVerificationEndpoints();
        app.MapPaymentEndpoints();
        return app;
    }
}
