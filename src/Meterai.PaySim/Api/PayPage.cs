using System.Net;
using Meterai.Core.Payments;
using Meterai.PaySim.Store;
using Meterai.PaySim.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meterai.PaySim.Api;

/// <summary>
/// The buyer's page for an order (the charge's pay_url): the QRIS code or the virtual account number, the amount and
/// the deadline, and a "Bayar / Pay" button that plays the buyer's bank. Bahasa Indonesia first, English second.
/// </summary>
internal static class PayPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/pay/{orderId}", (string orderId, TransactionStore transactions, HttpContext http) =>
        {
            var tx = transactions.Get(orderId);
            return tx is null
                ? Html(404, Page("Tidak ditemukan / Not found", $"<p>Tidak ada transaksi untuk pesanan <code>{E(orderId)}</code>.<br>No transaction for this order.</p>"))
                : Html(200, Render(tx, http.Request.Query.ContainsKey("error") ? http.Request.Query["error"].ToString() : null));
        });

        // A form post (no JavaScript needed), answered with a redirect back to the page so a reload does not pay twice.
        app.MapPost("/pay/{orderId}", async (string orderId, TransactionStore transactions) =>
        {
            var result = await transactions.PayAsync(orderId);
            var target = "/pay/" + Uri.EscapeDataString(orderId);
            return Results.Redirect(result.IsOk ? target : target + "?error=" + Uri.EscapeDataString(result.Error.Code), permanent: false, preserveMethod: false);
        });
    }

    private static string Render(SimTransaction tx, string? error)
    {
        var body = new System.Text.StringBuilder();
        body.Append($"<p class=amount>{E(tx.GrossAmount.ToString())}</p>");
        body.Append($"<p>Pesanan / Order <code>{E(tx.OrderId)}</code></p>");
        if (tx.Status == TransactionStatus.Pending)
        {
            if (tx.Method == PaymentMethod.Qris && tx.QrString is not null)
            {
                body.Append("<p>Pindai dengan aplikasi pembayaran QRIS / Scan with any QRIS app</p>");
                body.Append($"<div class=qr>{QrSvg.Draw(tx.QrString)}</div>");
            }
            else
            {
                body.Append($"<p>Transfer ke virtual account / Transfer to virtual account</p><p class=va>{E(tx.Bank?.ToUpperInvariant() ?? "")} <strong>{E(tx.VaNumber ?? "")}</strong></p>");
            }

            var deadline = tx.ExpiryTime.ToOffset(GatewayTime.Wib);
            body.Append($"<p>Bayar sebelum / Pay before <time datetime=\"{E(GatewayTime.ToWire(tx.ExpiryTime))}\">{deadline:dd-MM-yyyy HH:mm:ss} WIB</time></p>");
            body.Append($"<form method=post action=\"/pay/{E(Uri.EscapeDataString(tx.OrderId))}\"><button type=submit>Bayar / Pay</button></form>");
        }
        else
        {
            var (id, en) = tx.Status switch
            {
                TransactionStatus.Settlement => ("Lunas", "Paid"),
                TransactionStatus.Expire => ("Kedaluwarsa", "Expired"),
                TransactionStatus.Refund => ("Dikembalikan", "Refunded"),
                TransactionStatus.PartialRefund => ("Dikembalikan sebagian", "Partly refunded"),
                _ => (tx.Status.ToWire(), tx.Status.ToWire()),
            };
            body.Append($"<p class=status>{E(id)} / {E(en)}</p>");
        }

        if (error is not null) body.Append($"<p class=error>Pembayaran gagal / Payment failed: <code>{E(error)}</code></p>");
        return Page("Bayar e-Meterai / Pay e-Meterai", body.ToString());
    }

    private static string Page(string title, string body) =>
        $$"""
        <!doctype html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{E(title)}} · PaySim</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#111}
        h1{font-size:1.3rem}.amount{font-size:2rem;font-weight:700;margin:.5rem 0}.va{font-size:1.4rem;letter-spacing:.05em}
        .qr svg{max-width:100%;height:auto;border:1px solid #ddd}.status{font-size:1.5rem;font-weight:700}.error{color:#b00020}
        button{font-size:1.1rem;padding:.7rem 2rem;border:0;border-radius:.4rem;background:#0a6;color:#fff;cursor:pointer}
        footer{margin-top:2rem;font-size:.8rem;color:#666}
        </style></head>
        <body><h1>{{E(title)}}</h1>{{body}}<footer>PaySim: penyedia pembayaran uji coba / sandbox payment provider</footer></body></html>
        """;

    private static IResult Html(int status, string html) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
