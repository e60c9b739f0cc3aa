using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Server.Payments;

/// <summary>
/// Reads a gateway notification from an HTTP request into a signature-checked <see cref="PaymentNotification"/> or
/// an error (malformed_notification, signature_invalid). The body is read with a size limit, so a hostile sender
/// cannot make the endpoint buffer megabytes; the gateway wants an answer within 5 s, so the receiving endpoint
/// should record the notification and answer, and do the crediting work after.
/// </summary>
public static class PaymentNotificationReader
{
    public static async Task<Result<PaymentNotification>> ReadAsync(HttpRequest request, string serverKey, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[PaymentNotificationParser.MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        if (length > PaymentNotificationParser.MaxBodyBytes)
        {
            return Result<PaymentNotification>.Fail(PaymentErrors.MalformedNotification, $"body is larger than {PaymentNotificationParser.MaxBodyBytes} bytes");
        }

        return PaymentNotificationParser.Parse(buffer.AsSpan(0, length), serverKey);
    }
}
