namespace Meterai.Server.Jobs;

/// <summary>The background workers of stamping: the job queue, the recovery of interrupted stamps, the file purge.</summary>
public static class JobsServiceExtensions
{
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<StampJobWorker>();
        builder.Services.AddSingleton<StampRecoveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StampRecoveryWorker>());
        builder.Services.AddSingleton<FilePurgeWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FilePurgeWorker>());
        return builder;
    }
}
