using System.Net;
using System.Security.Cryptography;
using Meterai.Core.Orders;
using Meterai.Payments.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Payments.Tests.Http;

/// <summary>
/// The applicant's whole journey over real Kestrel: order a stamp, pay it in the sandbox, then spend exactly that
/// stamp on a document — the quota a payment credits is the quota stamping spends, and nothing more.
/// </summary>
public abstract class BuyThenStampContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_paid_stamp_stamps_one_document_and_the_next_document_waits_for_the_next_payment()
    {
        await using var h = await PaymentsHarness.StartAsync(backend: backend);
        var (token, _) = await h.ApplicantAsync();

        // Nothing bought yet: stamping is refused and charges nothing.
        using (var refused = await StampClient.StampAsync(h.Http, token, "doc-0", TestPdf.Create(), StampClient.DefaultFields))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        }

        var created = await h.SendAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 1, method = "qris" }, token, "buy-1");
        Assert.Equal(201, created.Status);
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.True((await h.Sim.PayAsync(id, Ct)).IsOk);
        OrderId.TryParse(id, out var orderId);
        await h.UntilAsync(orderId!.Value, o => o.State == OrderState.Fulfilled, "fulfilled");

        var pdf = TestPdf.Create(text: "Surat Lamaran CPNS");
        using var stamped = await StampClient.StampAsync(h.Http, token, "doc-1", pdf, StampClient.DefaultFields);
        Assert.Equal(HttpStatusCode.Created, stamped.StatusCode);
        var output = await stamped.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(pdf, output[..pdf.Length]);
        var serial = stamped.Headers.GetValues("Meterai-Serial").Single();
        var entry = await h.SendAsync(HttpMethod.Get, $"/api/v1/serials/{serial}");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output)), entry.Body.GetProperty("document_sha256").GetString());

        // The one stamp bought is spent: a second document is refused until another payment.
        using var second = await StampClient.StampAsync(h.Http, token, "doc-2", TestPdf.Create(text: "Surat Pernyataan"), StampClient.DefaultFields);
        Assert.Equal(HttpStatusCode.PaymentRequired, second.StatusCode);
        await Sales.AssertAuditHoldsAsync(h.Database);
    }
}

public sealed class SqliteBuyThenStampTests(SqliteBackend backend) : BuyThenStampContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresBuyThenStampTests(PostgresBackend backend) : BuyThenStampContract(backend), IClassFixture<PostgresBackend>;
