using Meterai.Core.Common;

namespace Meterai.Pdf;

/// <summary>
/// Raised inside the reader when the file breaks a rule; caught at the engine's public boundary and returned as an
/// <see cref="Error"/>. It never escapes <see cref="Stamping.StampEngine"/> or <see cref="Verification.PdfVerifier"/>.
/// </summary>
internal sealed class PdfFormatException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public Error ToError() => new(Code, Message);

    public static PdfFormatException Malformed(string message) => new(PdfErrorCodes.Malformed, message);

    public static PdfFormatException Limit(string message) => new(PdfErrorCodes.LimitExceeded, message);
}
