using Meterai.Server.Api;

namespace Meterai.Server.Verification;

/// <summary>Public verification: the serial lookup and the endpoints.</summary>
public static class VerificationServiceExtensions
{
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SerialLookup>();
        builder.Services.AddSingleton<TimestampAccess>();
        ErrorStatus.Register(StatusCodes.Status429TooManyRequests, TimestampAccess.TooMany);
        return builder;
    }

    public static WebApplication MapVerificationEndpoints(this WebApplication app)
    {
        VerificationEndpoints.Map(app, ApiConventions.MaxUploadBytes(app.Configuration));
        return app;
    }
}
