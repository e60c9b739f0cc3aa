using Meterai.Core.Common;
using Meterai.Pdf.Verification;
using Meterai.Server.Api;
using Meterai.Server.Stamping;

namespace Meterai.Server.Verification;

/// <summary>A verification's answer, or the problem that answers the request instead.</summary>
public sealed record VerificationOutcome(VerifyResponse? Answer, IResult? Problem);

/// <summary>
/// Verifying an uploaded PDF, for anyone, within bounds — the one way every endpoint that verifies a file does it:
/// the client's rate (<see cref="VerificationRateLimit"/>, 429 before the upload is read), the upload's limits
/// (<see cref="UploadReader"/>), the node's admission bound (<see cref="VerificationAdmission"/>, 503, taken once the
/// upload has arrived), the engine's work budget (<see cref="VerificationSettings.Limits"/>: 422
/// <c>work_limit_exceeded</c>) and an answer of bounded size (<see cref="VerifyAnswer"/>).
/// </summary>
public sealed class VerificationService(
    UploadReader uploads,
    IssuerKeys keys,
    SerialLookup lookup,
    VerificationAdmission admission,
    VerificationRateLimit rate,
    VerificationSettings settings)
{
    public async Task<VerificationOutcome> VerifyUploadAsync(HttpContext http, CancellationToken ct)
    {
        if (rate.Refuse(ClientAddress.Of(http)) is { } wait)
        {
            return Refused(ApiProblem.WithRetryAfter(ApiProblem.Of(StatusCodes.Status429TooManyRequests, VerificationErrors.RateLimited,
                "this address asked for more verifications than it may per minute: retry after the time in Retry-After"), wait));
        }

        using var read = await uploads.ReadAsync(http.Request, ct);
        if (read.Problem is not null) return Refused(read.Problem);
        if (await VerifyAdmittedAsync(read.Upload!, read.Fields.GetValueOrDefault("password")) is not { } verified)
        {
            return Refused(ApiProblem.WithRetryAfter(ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, VerificationErrors.Busy,
                "this node is verifying as many files as it can: retry after the time in Retry-After"), admission.RetryAfter));
        }

        if (!verified.IsOk) return Refused(ApiProblem.Of(verified.Error));
        return new VerificationOutcome(await VerifyAnswer.BuildAsync(verified.Value, keys, lookup, settings, ct), null);
    }

    /// <summary>The engine's work, in an admission slot (null: none free); the engine is synchronous and bounded by its budget.</summary>
    private async Task<Result<VerificationReport>?> VerifyAdmittedAsync(StampUpload upload, string? password)
    {
        if (!admission.TryEnter()) return null;
        try
        {
            await using var input = upload.OpenRead();
            return PdfVerifier.Verify(input, password, settings.Limits, [keys.TrustedRoot]);
        }
        finally
        {
            admission.Exit();
        }
    }

    private static VerificationOutcome Refused(IResult problem) => new(null, problem);
}
