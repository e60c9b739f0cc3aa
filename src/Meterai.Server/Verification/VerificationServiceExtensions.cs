using Meterai.Pdf;
using Meterai.Server.Api;

namespace Meterai.Server.Verification;

/// <summary>Public verification: the serial lookup, the bounded verification of files, and the endpoints.</summary>
public static class VerificationServiceExtensions
{
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SerialLookup>();
        builder.Services.AddSingleton(VerificationSettings.Read(builder.Configuration));
        builder.Services.AddSingleton<VerificationAdmission>();
        builder.Services.AddSingleton<VerificationRateLimit>();
        builder.Services.AddSingleton<VerificationService>();
        ErrorStatus.Register(StatusCodes.Status422UnprocessableEntity, PdfErrorCodes.WorkLimitExceeded);
        ErrorStatus.Register(StatusCodes.Status429TooManyRequests, VerificationErrors.RateLimited);
        ErrorStatus.Register(StatusCodes.Status503ServiceUnavailable, VerificationErrors.Busy);
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
