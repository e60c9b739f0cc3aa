namespace Meterai.Server.Verification;

/// <summary>Codes public verification answers besides the engine's (<see cref="Pdf.PdfErrorCodes"/>) and the upload's.</summary>
public static class VerificationErrors
{
    /// <summary>503: the node verifies as many files as it may at once; retry after Retry-After.</summary>
    public const string Busy = "verification_busy";

    /// <summary>429: this client asked for more verifications than its rate; retry after Retry-After.</summary>
    public const string RateLimited = "verification_rate_limited";
}
