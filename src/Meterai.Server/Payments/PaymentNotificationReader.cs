using System.Buffers;
using Meterai.Core.Common;
using Meterai.Core.Payments;

namespace Meterai.Server.Payments;

/// <summary>
/// Reads a gateway notification from an HTTP request into a signature-checked <see cref="PaymentNotification"/> or
/// an error (malformed_notification, signature_invalid). Cheap refusals first, since anyone can send these: a body
/// declared larger than any notification is refused unread, the rest is read with a size limit into a pooled buffer
/// (no per-request 64 KiB allocation), and the parser checks the signature's form before it hashes. The gateway wants
/// an answer within 5 s, so the receiving endpoint should record the notification and answer, and do the crediting
/// work after.
/// </summary>
public static class PaymentNotificationReader
{
    public static async Task<Result<PaymentNotification>> ReadAsync(HttpRequest request, string serverKey, CancellationToken cancellationToken = default)
    {
        if (request.ContentLength > PaymentNotificationParser.MaxBodyBytes) return TooLarge();
        var buffer = ArrayPool<byte>.Shared.Rent(PaymentNotificationParser.MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= PaymentNotificationParser.MaxBodyBytes
                   && (read = await request.Body.ReadAsync(buffer.AsMemory(length, PaymentNotificationParser.MaxBodyBytes + 1 - length), cancellationToken)) > 0)
            {
                length += read;
            }

            return length > PaymentNotificationParser.MaxBodyBytes ? TooLarge() : PaymentNotificationParser.Parse(buffer.AsSpan(0, length), serverKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Result<PaymentNotification> TooLarge() =>
        Result<PaymentNotification>.Fail(PaymentErrors.MalformedNotification, $"body is larger than {PaymentNotificationParser.MaxBodyBytes} bytes");
}
