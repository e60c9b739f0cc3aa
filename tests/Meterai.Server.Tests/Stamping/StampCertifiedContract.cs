using Meterai.Core.Serials;
using Meterai.Pdf;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// A certified document the stamp cannot keep valid in every validator (DocMDP P=2 and no empty signature field) is
/// refused with its own final code while the stamp is prepared, before its reservation would be posted: the quota,
/// the registry and the books are as before, and retrying the same request answers the same refusal.
/// </summary>
public abstract class StampCertifiedContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_certified_file_without_an_empty_signature_field_is_refused_before_any_quota_is_charged()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);
        var certified = Certified(TestPdf.Create());

        var body = await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, world.ChannelToken, "certified-1", certified, world.Fields()), 422,
            PdfErrorCodes.CertifiedNoEmptyField);
        Assert.False(body.GetProperty("retryable").GetBoolean());
        // The same request again: the same final answer, not a second attempt.
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, world.ChannelToken, "certified-1", certified, world.Fields()), 422,
            PdfErrorCodes.CertifiedNoEmptyField);

        var quota = await world.QuotaAsync(service);
        Assert.Equal((3L, 0L, 0L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        var stamp = Assert.Single((await service.GetJsonAsync("/api/v1/stamps?limit=10", world.ChannelToken)).EnumerateArray());
        Assert.Equal("failed", stamp.GetProperty("state").GetString());
        Assert.Null(await service.Database.Serials.GetAsync(SerialNumber.Parse(stamp.GetProperty("serial").GetString()).Value, Ct));

        // The applicant's next, ordinary file is stamped and costs exactly one.
        using var plain = await StampClient.StampAsync(service.Http, world.ChannelToken, "plain-1", TestPdf.Create(), world.Fields());
        Assert.Equal(System.Net.HttpStatusCode.Created, plain.StatusCode);
        quota = await world.QuotaAsync(service);
        Assert.Equal((2L, 0L, 1L), (quota.GetProperty("available").GetInt64(), quota.GetProperty("reserved").GetInt64(), quota.GetProperty("used").GetInt64()));
        var audit = await service.Database.AuditAsync(Ct);
        Assert.True(audit.AllHold, string.Join("; ", audit.Broken));
    }

    /// <summary>The file certified (DocMDP P=2) by an issuer of the test's own, with the engine's certify option: a real certification signature.</summary>
    private static byte[] Certified(byte[] input)
    {
        var issuer = DevelopmentIssuer.LoadOrCreate(Path.Combine(Path.GetTempPath(), "meterai-certifier-" + Environment.ProcessId), TestSecrets.Sealer);
        var output = new MemoryStream();
        var request = new StampRequest
        {
            Serial = SerialNumber.New(), Page = 1, Rectangle = new PdfRect(300, 60, 440, 150), SigningTime = DateTimeOffset.UtcNow, Certify = true,
        };
        var result = new StampEngine().Stamp(new MemoryStream(input, writable: false), output, request, issuer.Signer);
        Assert.True(result.IsOk, result.Error?.ToString());
        return output.ToArray();
    }
}

public sealed class SqliteStampCertifiedTests(SqliteBackend backend) : StampCertifiedContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampCertifiedTests(PostgresBackend backend) : StampCertifiedContract(backend), IClassFixture<PostgresBackend>;
