using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Payments;
using Meterai.PaySim.Faults;
using Meterai.PaySim.Store;
using Meterai.PaySim.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meterai.PaySim.Api;

/// <summary>
/// The test API under /sim: what a buyer, a tester or a chaos test does to the provider from outside (pay, let an order
/// expire, turn faults up, start an outage, point notifications elsewhere) and what they read back (transactions,
/// outbox, fault decisions). No authentication: the sandbox listens on loopback for tests. It stays up during outages
/// so that a test can always end one.
/// </summary>
internal static class SimEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/sim");
        sim.MapPost("/pay/{orderId}", async (string orderId, TransactionStore transactions, MerchantStore merchants) =>
            TransactionOrError(await transactions.PayAsync(orderId), merchants));
        sim.MapPost("/expire/{orderId}", async (string orderId, TransactionStore transactions, MerchantStore merchants) =>
            TransactionOrError(await transactions.ExpireAsync(orderId, force: true), merchants));

        sim.MapGet("/faults", (FaultState faults) => Results.Json(FaultPatch.From(faults.Settings), ApiJson.Options));
        sim.MapPost("/faults", async (HttpRequest request, FaultState faults) =>
        {
            FaultPatch? patch;
            try
            {
                patch = await JsonSerializer.DeserializeAsync<FaultPatch>(request.Body, ApiJson.Options, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return ApiJson.BadRequest("fault settings: " + e.Message);
            }

            if (patch is null) return ApiJson.BadRequest("fault settings: expected a JSON object");
            var (settings, error) = patch.ApplyTo(faults.Settings);
            if (settings is null) return ApiJson.BadRequest(error!);
            faults.Replace(settings);
            return Results.Json(FaultPatch.From(settings), ApiJson.Options);
        });

        sim.MapPost("/outage", async (HttpRequest request, FaultState faults) =>
        {
            var (body, problem) = await ApiJson.ReadObjectAsync(request);
            if (problem is not null) return problem;
            if (!body.TryGetProperty("seconds", out var s) || !s.TryGetDouble(out var seconds) || seconds <= 0 || seconds > 86_400)
            {
                return ApiJson.BadRequest("seconds must be a number of seconds between 0 and 86400");
            }

            var mode = OutageMode.Unavailable;
            var (modeText, p) = ApiJson.String(body, "mode");
            if (p is not null) return p;
            if (modeText is not null && !FaultPatch.TryParseOutageMode(modeText, out mode)) return ApiJson.BadRequest("mode must be \"unavailable\" or \"reset\"");
            faults.StartOutage(TimeSpan.FromSeconds(seconds), mode);
            faults.InOutage(out _, out var until);
            return ApiJson.Write(200, json =>
            {
                json.WriteString("mode", FaultPatch.OutageModeName(mode));
                json.WriteString("until", GatewayTime.ToWire(until));
            });
        });
        sim.MapDelete("/outage", (FaultState faults) =>
        {
            faults.EndOutage();
            return Results.NoContent();
        });

        sim.MapPut("/merchant", async (HttpRequest request, MerchantStore merchants, PaySimOptions options, OutboxStore outbox) =>
        {
            var (body, problem) = await ApiJson.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var (url, p) = ApiJson.String(body, "notify_url");
            if (p is not null) return p;
            if (url is null || !PaySimOptions.IsHttpUrl(url)) return ApiJson.BadRequest("notify_url must be an absolute http(s) URL");
            await merchants.SetNotifyUrlAsync(options.MerchantId, url);
            outbox.Wake();
            return ApiJson.Write(200, json =>
            {
                json.WriteString("merchant_id", options.MerchantId);
                json.WriteString("notify_url", url);
            });
        });

        sim.MapGet("/transactions", (HttpContext http, TransactionStore transactions) =>
        {
            var statusText = http.Request.Query["status"].ToString();
            TransactionStatus? status = null;
            if (statusText.Length > 0)
            {
                if (!TransactionStatusNames.TryParse(statusText, out status)) return ApiJson.BadRequest($"unknown status {statusText}");
            }

            var list = transactions.List(status);
            return ApiJson.Write(200, json =>
            {
                json.WriteNumber("count", list.Count);
                json.WriteStartArray("transactions");
                foreach (var t in list)
                {
                    json.WriteStartObject();
                    json.WriteString("order_id", t.OrderId);
                    json.WriteString("transaction_id", t.TransactionId);
                    json.WriteString("payment_type", t.Method.ToWire());
                    json.WriteString("gross_amount", t.GrossAmount.ToGatewayString());
                    json.WriteString("transaction_status", t.Status.ToWire());
                    json.WriteString("refunded_amount", t.RefundedAmount.ToGatewayString());
                    if (t.SettlementTime is { } st) json.WriteString("settlement_time", GatewayTime.ToWire(st));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
        });

        sim.MapGet("/notifications", (HttpContext http, OutboxStore outbox) =>
        {
            var orderId = http.Request.Query["order_id"].ToString();
            var list = outbox.List(orderId.Length > 0 ? orderId : null);
            return ApiJson.Write(200, json =>
            {
                json.WriteStartArray("notifications");
                foreach (var n in list)
                {
                    json.WriteStartObject();
                    json.WriteNumber("id", n.Id);
                    json.WriteString("notification_id", n.NotificationId);
                    json.WriteString("order_id", n.OrderId);
                    json.WriteNumber("event_seq", n.EventSeq);
                    json.WriteNumber("copy", n.Copy);
                    json.WriteString("transaction_status", n.TransactionStatus);
                    json.WriteString("state", n.State);
                    json.WriteNumber("attempts", n.Attempts);
                    if (n.LastError is not null) json.WriteString("last_error", n.LastError);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
        });

        sim.MapGet("/calls", (HttpContext http, ApiCallCounter calls) =>
        {
            var orderId = http.Request.Query["order_id"].ToString();
            var byKind = calls.ByKind(orderId.Length > 0 ? orderId : null);
            return ApiJson.Write(200, json =>
            {
                if (orderId.Length > 0) json.WriteString("order_id", orderId);
                json.WriteStartObject("calls");
                foreach (var (kind, n) in byKind.OrderBy(k => k.Key, StringComparer.Ordinal)) json.WriteNumber(kind, n);
                json.WriteEndObject();
            });
        });

        sim.MapGet("/fault-decisions", (OutboxStore outbox) => Results.Json(new { decisions = outbox.Decisions() }, ApiJson.Options));
    }

    private static IResult TransactionOrError(Result<SimTransaction> result, MerchantStore merchants)
    {
        if (!result.IsOk) return ApiJson.Error(result.Error);
        var tx = result.Value;
        var key = merchants.Get(tx.MerchantId)?.ServerKey ?? "";
        return ApiJson.Write(200, json => TransactionJson.WriteMembers(json, tx, key));
    }
}
