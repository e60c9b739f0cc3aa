using Meterai.Core.Common;

namespace Meterai.Pdf.Budget;

/// <summary>
/// Raised by <see cref="WorkBudget"/> when an operation has used its processor time or memory; caught at the engine's
/// public boundary and returned as <see cref="PdfErrorCodes.WorkLimitExceeded"/>. Not a <see cref="PdfFormatException"/>
/// on purpose: the reader's fallbacks (recovery, "this revision cannot be read") catch those and carry on.
/// </summary>
internal sealed class WorkBudgetExceededException(string message) : Exception(message)
{
    public Error ToError() => new(PdfErrorCodes.WorkLimitExceeded, Message);
}
