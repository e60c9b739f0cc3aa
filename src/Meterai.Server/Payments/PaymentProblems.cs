using Meterai.Core.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;

namespace Meterai.Server.Payments;

/// <summary>RFC 9457 problem details with the error's stable <c>code</c>, and the HTTP status each payments code maps to.</summary>
internal static class PaymentProblems
{
    public static IResult From(Error error) => Problem(StatusFor(error.Code), error);

    public static IResult Problem(int status, Error error) =>
        Results.Problem(statusCode: status, title: error.Code.Replace('_', ' '), detail: error.Message,
            extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static int StatusFor(string code) => code switch
    {
        OrderErrors.OrderNotFound => StatusCodes.Status404NotFound,
        OrderErrors.IdempotencyKeyReused or OrderErrors.OutOfStock or OrderErrors.OrderExpired or OrderErrors.RefundNotAllowed
            or OrderErrors.RefundExceedsOrder or OrderErrors.QuotaAlreadyUsed or OrderErrors.RefundKeyReused or PaymentErrors.OrderIdConflict
            or PaymentErrors.TransactionExpired => StatusCodes.Status409Conflict,
        PaymentErrors.ProviderUnavailable or "database_unavailable" => StatusCodes.Status503ServiceUnavailable,
        PaymentErrors.ProviderUnauthorized or PaymentErrors.ProviderProtocol or PaymentErrors.ProviderRejected => StatusCodes.Status502BadGateway,
        PaymentErrors.SignatureInvalid => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };
}
