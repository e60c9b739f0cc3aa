using Meterai.Pdf.Appearance;
using Meterai.Core.Stamping;
using Meterai.Pdf;
using Meterai.Pdf.Signing;
using Meterai.Server.Api;
using Meterai.Server.Files;

namespace Meterai.Server.Stamping;

/// <summary>Stamping: the issuer's keys and engine, the file store, uploads, the processor and service, and the endpoints.</summary>
public static class StampingServiceExtensions
{
    public static WebApplicationBuilder AddStamping(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<IStampStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().Stamps);
        s.AddSingleton<IStampJournal>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().StampJournal);
        s.AddSingleton(StampSettings.Read(builder.Configuration));
        s.AddSingleton<StampImageRateLimit>();
        s.AddSingleton(StampBudgets.Read(builder.Configuration));
        // Checked here, before anything listens: a Production node without its public address refuses to start.
        var publicBase = PublicAddress.Read(builder.Configuration, builder.Environment);
        s.AddSingleton(sp => new PublicAddress(publicBase, sp.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()));
        s.AddSingleton<IssuerKeys>();
        s.AddSingleton<DiskWorkers>();
        s.AddSingleton<StampFileStore>();
        s.AddSingleton<UploadReader>();
        s.AddSingleton<CrashPoints>();
        s.AddSingleton<StampProcessor>();
        s.AddSingleton<ApplicantChannels>();
        s.AddSingleton<StampService>();
        s.AddSingleton<StampAdmission>();
        s.AddSingleton<StampTimings>();
        s.AddHostedService<StampTimingsLogger>();

        ErrorStatus.Register(StatusCodes.Status402PaymentRequired, StampErrors.QuotaExhausted);
        ErrorStatus.Register(StatusCodes.Status415UnsupportedMediaType, PdfErrorCodes.NotAPdf);
        ErrorStatus.Register(StatusCodes.Status413PayloadTooLarge, PdfErrorCodes.TooLarge);
        ErrorStatus.Register(StatusCodes.Status422UnprocessableEntity, PdfErrorCodes.Truncated, PdfErrorCodes.Malformed, PdfErrorCodes.DamagedSignedFile,
            PdfErrorCodes.PasswordRequired, PdfErrorCodes.WrongPassword, PdfErrorCodes.PermissionDenied, PdfErrorCodes.CertifiedNoChanges, PdfErrorCodes.CertifiedNoEmptyField, PdfErrorCodes.FieldLocked,
            PdfErrorCodes.PageOutOfRange, PdfErrorCodes.RectOffPage, StampAppearanceErrors.RectTooSmall, StampAppearanceErrors.RectInvalid, PdfErrorCodes.UnsupportedEncryption, PdfErrorCodes.LimitExceeded, PdfErrorCodes.WorkLimitExceeded);
        ErrorStatus.Register(StatusCodes.Status400BadRequest, PdfErrorCodes.InvalidRequest, StampErrors.DocumentTypeUnknown);
        ErrorStatus.Register(StatusCodes.Status503ServiceUnavailable, StampErrors.Busy, StampErrors.Interrupted, StampErrors.ReservationExpired, StampErrors.JobFailed, "serial_unavailable",
            "internal_error", SigningErrors.TimestampUnavailableCode, SigningErrors.TimestampRejectedCode, SigningErrors.TimestampInvalidCode,
            SigningErrors.TimestampTooLargeCode, PdfErrorCodes.SignatureTooLarge, SigningErrors.SignatureInvalidCode);
        ErrorStatus.Register(StatusCodes.Status404NotFound, StampErrors.NotFound);
        ErrorStatus.Register(StatusCodes.Status429TooManyRequests, StampImageEndpoint.RateLimited);
        ErrorStatus.Register(StatusCodes.Status429TooManyRequests, StampErrors.TooManyInProgress);
        ErrorStatus.Register(StatusCodes.Status409Conflict, StampErrors.InProgress, StampErrors.NotCompleted);
        ErrorStatus.Register(StatusCodes.Status410Gone, StampErrors.FilePurged);
        return builder;
    }

    public static WebApplication MapStampingEndpoints(this WebApplication app)
    {
        StampEndpoints.Map(app, ApiConventions.MaxUploadBytes(app.Configuration));
        return app;
    }
}
