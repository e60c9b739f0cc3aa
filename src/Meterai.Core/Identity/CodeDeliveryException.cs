namespace Meterai.Core.Identity;

/// <summary>
/// A code or notice could not be handed to the mail server or SMS gateway. The caller answers 503
/// <see cref="Code"/> so the applicant knows to ask again; the message names the channel and what went wrong, never
/// the code and never the full address.
/// </summary>
public sealed class CodeDeliveryException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string Code = "code_delivery_failed";
}
