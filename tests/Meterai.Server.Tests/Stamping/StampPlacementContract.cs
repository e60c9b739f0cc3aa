using System.Globalization;
using System.Net;
using System.Text.Json;
using Meterai.Bench;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// Issue 11 item 5 over HTTP: <c>placement=auto</c> (the default without a rect) puts the stamp on the free spot
/// nearest the usual place and answers the rectangle (headers of the PDF answer, <c>placement</c> in the JSON, kept
/// with the stamp); an explicit rect is honoured as before; bad values are 400 <c>placement_invalid</c> and charge
/// nothing; a page built to make the scan expensive is still stamped, at the usual place, saying so.
/// </summary>
public abstract class StampPlacementContract(DatabaseBackend backend)
{
    private const double W = DefaultStampSize.Width;
    private const double H = DefaultStampSize.Height;
    private const double M = DefaultStampSize.Margin;
    private static readonly PdfRect Usual = new(595 - M - W, M, 595 - M, M + H);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_rect_the_stamp_moves_off_the_ink_and_the_answer_and_the_record_say_where()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);
        var pdf = SamplePdf.Page(SamplePdf.TextBlock(250, M + H + 20, 10, 60));
        var key = Guid.NewGuid().ToString();

        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, key, pdf, world.Fields(("rect", null)));
        Assert.True(stamped.StatusCode == HttpStatusCode.Created, await stamped.Content.ReadAsStringAsync(Ct) + service.Logs);

        Assert.Equal("auto", stamped.Headers.GetValues("Meterai-Placement").Single());
        var rect = Rect(stamped);
        Assert.NotEqual(Usual, rect);
        Assert.Equal((W, H), (Math.Round(rect.Width, 6), Math.Round(rect.Height, 6)));
        Assert.True(rect.Y1 > M + H + 20, $"{rect} should lie above the text");

        var json = await StampJsonAsync(service, world, stamped);
        Assert.Equal(("auto", JsonValueKind.Null), (json.GetProperty("mode").GetString(), json.GetProperty("fallback").ValueKind));
        Assert.Equal(rect, Rect(json));

        // A retry under the same key answers the stored stamp: the rectangle comes from the record.
        using var again = await StampClient.StampAsync(service.Http, world.ChannelToken, key, pdf, world.Fields(("rect", null)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(rect, Rect(again));
        Assert.Equal("auto", again.Headers.GetValues("Meterai-Placement").Single());
    }

    [Fact]
    public async Task A_full_page_is_stamped_at_the_usual_place_and_the_answer_says_why()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);

        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), SamplePdf.Page("0 0 0 rg 0 0 595 842 re f"),
            world.Fields(("rect", null), ("placement", "auto")));

        Assert.True(stamped.StatusCode == HttpStatusCode.Created, await stamped.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"auto; fallback={AutoPlacement.PageFull}", stamped.Headers.GetValues("Meterai-Placement").Single());
        Assert.Equal(Usual, Rect(stamped));
        var json = await StampJsonAsync(service, world, stamped);
        Assert.Equal(AutoPlacement.PageFull, json.GetProperty("fallback").GetString());
    }

    [Fact]
    public async Task A_page_built_to_make_the_scan_expensive_is_stamped_at_the_usual_place()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);
        var calls = string.Concat(Enumerable.Repeat("/Fm0 Do\n", 20_001));
        var pdf = SamplePdf.Page(calls, forms: ("0 0 10 10", "0 0 m 1 1 l S"));

        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), pdf, world.Fields(("rect", null)));

        Assert.True(stamped.StatusCode == HttpStatusCode.Created, await stamped.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"auto; fallback={AutoPlacement.WorkLimit}", stamped.Headers.GetValues("Meterai-Placement").Single());
        Assert.Equal(Usual, Rect(stamped));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rect")]
    public async Task An_explicit_rect_is_honoured(string? placement)
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);
        var pdf = SamplePdf.Page(SamplePdf.TextBlock(250, M + H + 20, 10, 60));

        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), pdf,
            world.Fields(("rect", "300.5,300,440,390"), ("placement", placement)));

        Assert.True(stamped.StatusCode == HttpStatusCode.Created, await stamped.Content.ReadAsStringAsync(Ct));
        Assert.Equal("rect", stamped.Headers.GetValues("Meterai-Placement").Single());
        Assert.Equal(new PdfRect(300.5, 300, 440, 390), Rect(stamped));
        var json = await StampJsonAsync(service, world, stamped);
        Assert.Equal("rect", json.GetProperty("mode").GetString());
        Assert.Equal(new PdfRect(300.5, 300, 440, 390), Rect(json));
    }

    [Theory]
    [InlineData("somewhere", null)]
    [InlineData("AUTO", null)]
    [InlineData("auto", "300,300,440,390")]
    [InlineData("rect", null)]
    public async Task A_bad_placement_is_refused_with_its_code_and_charges_nothing(string placement, string? rect)
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 3);

        using var refused = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), TestPdf.Create(),
            world.Fields(("rect", rect), ("placement", placement)));

        await ProblemAssert.IsAsync(refused, 400, "placement_invalid");
        Assert.Equal(3L, (await world.QuotaAsync(service)).GetProperty("available").GetInt64());
    }

    private static async Task<JsonElement> StampJsonAsync(TestService service, World world, HttpResponseMessage stamped) =>
        (await service.GetJsonAsync($"/api/v1/stamps/{stamped.Headers.GetValues("Meterai-Stamp-Id").Single()}", world.ChannelToken)).GetProperty("placement");

    private static PdfRect Rect(HttpResponseMessage response)
    {
        var v = response.Headers.GetValues("Meterai-Stamp-Rect").Single().Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new PdfRect(v[0], v[1], v[2], v[3]);
    }

    private static PdfRect Rect(JsonElement placement)
    {
        var v = placement.GetProperty("rect").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new PdfRect(v[0], v[1], v[2], v[3]);
    }
}

public sealed class SqliteStampPlacementTests(SqliteBackend backend) : StampPlacementContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampPlacementTests(PostgresBackend backend) : StampPlacementContract(backend), IClassFixture<PostgresBackend>;
