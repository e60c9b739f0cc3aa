using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meterai.Bench;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Verification;

/// <summary>
/// Public verification through the real HTTP stack (issue 10, item 1): files changed after stamping are never
/// harmless, a file without e-Meterai is never "all registered", and the QR code's page says what the registry holds
/// and checks an uploaded file, never calling a file it has not seen valid.
/// </summary>
public abstract partial class VerificationContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stamped_file_whose_missing_xobject_is_defined_later_verifies_as_changed()
    {
        await using var service = await TestService.StartAsync(backend);
        var (stamped, serial) = await StampAsync(service, TamperedPdf.WithMissingXObject());
        var clean = await VerifyAsync(service, stamped);
        Assert.Equal("none", Stamp(clean, serial).GetProperty("changes_after").GetString());

        var verified = await VerifyAsync(service, TamperedPdf.DefineMissingXObject(stamped));
        var sig = Stamp(verified, serial);
        Assert.Equal("changed", sig.GetProperty("changes_after").GetString());
        Assert.True(verified.GetProperty("changed_after_e_meterai").GetBoolean());
        Assert.Contains(sig.GetProperty("change_notes").EnumerateArray(), n => n.GetString()!.Contains($"object {TamperedPdf.MissingXObject}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Widget")]
    [InlineData("FreeText")]
    public async Task An_unsigned_annotation_laid_over_a_stamped_page_verifies_as_changed(string subtype)
    {
        await using var service = await TestService.StartAsync(backend);
        var (stamped, serial) = await StampAsync(service, SamplePdf.Create(pages: 1));
        var verified = await VerifyAsync(service, TamperedPdf.WithOverlayAnnotation(stamped, page: 4, subtype));
        Assert.Equal("changed", Stamp(verified, serial).GetProperty("changes_after").GetString());
        Assert.True(verified.GetProperty("changed_after_e_meterai").GetBoolean());
    }

    [Fact]
    public async Task A_file_without_e_meterai_is_not_all_e_meterai_registered()
    {
        await using var service = await TestService.StartAsync(backend);
        var verified = await VerifyAsync(service, SamplePdf.Create());
        Assert.Equal(0, verified.GetProperty("signatures").GetArrayLength());
        Assert.False(verified.GetProperty("all_e_meterai_registered").GetBoolean());
        Assert.Equal(0, verified.GetProperty("e_meterai_count").GetInt32());
        Assert.False(verified.GetProperty("all_valid").GetBoolean());

        var (stamped, _) = await StampAsync(service, SamplePdf.Create());
        var registered = await VerifyAsync(service, stamped);
        Assert.Equal(1, registered.GetProperty("e_meterai_count").GetInt32());
        Assert.True(registered.GetProperty("all_e_meterai_registered").GetBoolean());
    }

    [Fact]
    public async Task The_verification_page_shows_the_registry_and_offers_a_file_check_without_calling_anything_valid()
    {
        await using var service = await TestService.StartAsync(backend);
        var (stamped, serial) = await StampAsync(service, SamplePdf.Create());
        using var answer = await service.Http.GetAsync($"/V/{serial.ToLowerInvariant()}", Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotMatch(ValidityClaim(), page);
        Assert.Contains(serial, page, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(stamped)), page, StringComparison.Ordinal);
        Assert.Contains("WIB", page, StringComparison.Ordinal); // the date it was stamped
        Assert.Contains($"<form method=\"post\" action=\"/v/{serial}\" enctype=\"multipart/form-data\">", page, StringComparison.Ordinal);
        Assert.Contains("name=\"file\"", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("tidak dapat mengetahui", StringComparison.Ordinal) < page.IndexOf("cannot tell", StringComparison.Ordinal), "Bahasa Indonesia comes first");
    }

    [Fact]
    public async Task A_file_uploaded_from_the_verification_page_is_judged_as_a_page()
    {
        await using var service = await TestService.StartAsync(backend);
        var (stamped, serial) = await StampAsync(service, TamperedPdf.WithMissingXObject());

        var genuine = await CheckAsync(service, serial, stamped);
        Assert.Equal(HttpStatusCode.OK, genuine.Status);
        Assert.Contains("e-Meterai pada berkas ini SAH dan berkas tidak diubah sesudahnya", genuine.Html, StringComparison.Ordinal);
        Assert.True(genuine.Html.IndexOf("SAH", StringComparison.Ordinal) < genuine.Html.IndexOf("VALID", StringComparison.Ordinal), "Bahasa Indonesia comes first");

        var altered = await CheckAsync(service, serial, TamperedPdf.DefineMissingXObject(stamped));
        Assert.Equal(HttpStatusCode.OK, altered.Status);
        Assert.Contains("Berkas ini DIUBAH setelah e-Meterai dibubuhkan", altered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(" SAH ", altered.Html, StringComparison.Ordinal);

        var other = await CheckAsync(service, serial, SamplePdf.Create());
        Assert.Contains("Berkas ini tidak memuat e-Meterai", other.Html, StringComparison.Ordinal);
        Assert.DoesNotMatch(ValidityClaim(), other.Html);

        var notPdf = await CheckAsync(service, serial, "bukan pdf"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notPdf.Status);
        Assert.Contains("Berkas tidak dapat diperiksa", notPdf.Html, StringComparison.Ordinal);
        Assert.Contains("not_a_pdf", notPdf.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_explains_e_meterai_count()
    {
        await using var service = await TestService.StartAsync(backend);
        var doc = await service.GetJsonAsync("/openapi/v1.json");
        var schema = doc.GetProperty("components").GetProperty("schemas").GetProperty("VerifyResponse");
        Assert.True(schema.GetProperty("properties").TryGetProperty("e_meterai_count", out _));
        var verify = doc.GetProperty("paths").GetProperty("/api/v1/verify").GetProperty("post");
        Assert.Contains("e_meterai_count 0", verify.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(doc.GetProperty("paths").GetProperty("/v/{serial}").TryGetProperty("post", out _));
    }

    /// <summary>Stamps <paramref name="pdf"/> through POST /api/v1/stamps (a channel for its applicant); the output and its serial.</summary>
    private static async Task<(byte[] Pdf, string Serial)> StampAsync(TestService service, byte[] pdf)
    {
        var world = await World.CreateAsync(service, mint: 10, allocate: 2, sell: 2);
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), pdf, world.Fields());
        var output = await stamped.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(stamped.StatusCode == HttpStatusCode.Created, System.Text.Encoding.UTF8.GetString(output));
        return (output, stamped.Headers.GetValues("Meterai-Serial").Single());
    }

    private static async Task<JsonElement> VerifyAsync(TestService service, byte[] pdf)
    {
        using var response = await StampClient.VerifyAsync(service.Http, pdf);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static JsonElement Stamp(JsonElement verified, string serial) =>
        verified.GetProperty("signatures").EnumerateArray().Single(s => s.GetProperty("serial").GetString() == serial);

    private static async Task<(HttpStatusCode Status, string Html)> CheckAsync(TestService service, string serial, byte[] file)
    {
        using var response = await StampClient.PostAsync(service.Http, $"/v/{serial}", StampClient.Form(file, new Dictionary<string, string>()), null, null);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A claim that something is valid: "SAH" or "valid" as a word, in either language.</summary>
    [GeneratedRegex(@"\bSAH\b|\bvalid\b", RegexOptions.IgnoreCase)]
    private static partial Regex ValidityClaim();
}

public sealed class SqliteVerificationTests(SqliteBackend backend) : VerificationContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresVerificationTests(PostgresBackend backend) : VerificationContract(backend), IClassFixture<PostgresBackend>;
