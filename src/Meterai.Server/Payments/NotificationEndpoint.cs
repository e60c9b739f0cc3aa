using System.Data.Common;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Server.Api;

namespace Meterai.Server.Payments;

/// <summary>
/// <c>POST /api/v1/payments/notifications</c>: the provider's notifications. No authentication: the signature is the
/// authentication. The answer decides whether the provider sends it again, so it is chosen per case:
/// <list type="bullet">
/// <item>200 after the inbox commit: applied (credited when paid), or already known (duplicate, replay, stale), or
/// ignored with a reason (unknown order, wrong amount, contradiction), or deferred (the status API did not answer the
/// challenge, or challenges of the order or its sender are limited: reconciliation asks instead) — the provider's own
/// notification, which sending again would not change;</item>
/// <item>400 <c>malformed_notification</c> and 403 <c>signature_invalid</c>: not the provider's (or our key is wrong, in
/// which case the provider keeps retrying and the notification is applied once the key is fixed). Nothing is written
/// for these: anyone can send them, so they are only counted on this node (<see cref="RefusedNotifications"/>);</item>
/// <item>503 <c>database_unavailable</c>: nothing could be recorded; the provider retries later.</item>
/// </list>
/// The work runs to its commit even when the provider hangs up (its 5 s timeout): the retry then finds it done and
/// gets a quick 200, so a slow database does not make the provider resend the same notification forever.
/// </summary>
public static class NotificationEndpoint
{
    public const string Path = "/api/v1/payments/notifications";

    internal static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Path, HandleAsync).AllowAnonymous().WithName("ReceivePaymentNotification").ExcludeFromDescription();

    private static async Task<IResult> HandleAsync(HttpRequest request, NotificationIntake intake, PaymentsConfiguration configuration,
        RefusedNotifications refused, IHostApplicationLifetime lifetime, ILogger<NotificationIntake> logger)
    {
        var work = lifetime.ApplicationStopping;
        var parsed = await PaymentNotificationReader.ReadAsync(request, configuration.Gateway.ServerKey, request.HttpContext.RequestAborted);
        if (!parsed.IsOk)
        {
            // Before the signature checked, nothing is written: a forged flood costs a parse and a hash, no row, no log line each.
            if (refused.Count(parsed.Error.Code, out var since))
            {
                logger.LogWarning("payment notifications refused: {Count} since the last report; this one {Code}: {Message}", since, parsed.Error.Code,
                    parsed.Error.Message);
            }

            return ApiProblem.Of(parsed.Error.Code == PaymentErrors.SignatureInvalid ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest,
                parsed.Error.Code, parsed.Error.Message);
        }

        try
        {
            var outcome = await intake.ReceiveAsync(parsed.Value, ClientAddress.Of(request.HttpContext), work);
            // A copy answered without a challenge is counted by the gate (health page), not logged: a replay flood is no log flood.
            if (outcome.Disposition != NotificationDisposition.Applied && outcome.Code != NotificationIntake.ChallengeLimited)
            {
                logger.LogInformation("payment notification for {OrderId} ({Status}) {Disposition}: {Code}: {Message}", parsed.Value.OrderId,
                    parsed.Value.Status.ToWire(), outcome.Disposition, outcome.Code, outcome.Message);
            }

            return Results.Json(new
            {
                status = outcome.Disposition switch
                {
                    NotificationDisposition.Applied => "applied",
                    NotificationDisposition.AlreadyKnown => "already_known",
                    NotificationDisposition.Ignored => "ignored",
                    _ => "deferred",
                },
                code = outcome.Code,
                message = outcome.Message,
                order_state = outcome.State?.ToWire(),
            });
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException && !work.IsCancellationRequested)
        {
            logger.LogWarning(e, "payment notification not recorded: the database is unavailable");
            return ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "database_unavailable", "the notification could not be recorded; send it again later");
        }
    }
}
