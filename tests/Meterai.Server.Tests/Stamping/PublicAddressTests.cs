using System.Net;
using Meterai.Server.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// Issue 11 item 4: the QR code's address is <c>Stamping:PublicBaseUrl</c>; in Development without it, the address the
/// server really listens on; in Production the server refuses to start without a valid one.
/// </summary>
public sealed class PublicAddressTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Development_without_the_setting_points_the_qr_code_at_the_port_the_server_listens_on()
    {
        await using var service = await TestService.StartAsync(backend, null, "environment=Development");
        var port = new Uri(service.App.Urls.First()).Port;
        Assert.NotEqual(5080, port);

        var (verify, qr) = await StampAndReadAsync(service);

        Assert.StartsWith($"HTTP://127.0.0.1:{port}/V/", verify, StringComparison.Ordinal);
        Assert.Equal(verify, qr);
    }

    [Fact]
    public async Task Production_with_the_setting_points_the_qr_code_and_the_links_there()
    {
        await using var service = await TestService.StartAsync(backend, null, "Stamping:PublicBaseUrl=https://meterai.contoh.id/");

        var (verify, qr) = await StampAndReadAsync(service);

        Assert.StartsWith("HTTPS://METERAI.CONTOH.ID/V/", verify, StringComparison.Ordinal);
        Assert.Equal(verify, qr);
    }

    [Fact]
    public void Production_refuses_to_start_without_it()
    {
        var data = Directory.CreateTempSubdirectory("meterai-nobase-").FullName;
        var e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment=Production", $"--Database:DataDirectory={data}", "--" + TestSecrets.Setting, "--Messaging:Sms:Url=http://127.0.0.1:9/sms"]));
        Assert.Contains(PublicAddress.Setting, e.Message);
        Assert.Contains("METERAI_Stamping__PublicBaseUrl", e.Message);
    }

    [Fact]
    public async Task The_server_process_exits_non_zero_with_the_reason_in_production_without_it()
    {
        var folder = Directory.CreateTempSubdirectory("meterai-nobase-process-").FullName;
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["METERAI_Stamping__PublicBaseUrl"] = "", // set but empty: the same as not set
            ["METERAI_Database__DataDirectory"] = Path.Combine(folder, "data"),
            ["METERAI_Messaging__Sms__Url"] = "http://127.0.0.1:9/sms",
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(env, folder, ct: Ct));

        Assert.Contains("exit code 1)", e.Message);
        Assert.Contains("cannot start", e.Message);
        Assert.Contains(PublicAddress.Setting, e.Message);
    }

    [Theory]
    [InlineData("meterai.contoh.id")]
    [InlineData("/v")]
    [InlineData("ftp://meterai.contoh.id")]
    [InlineData("https://meterai.contoh.id/?a=1")]
    [InlineData("https://meterai.contoh.id/#x")]
    [InlineData("https://user:pw@meterai.contoh.id")]
    public void A_value_that_is_not_a_plain_http_address_is_refused_at_start(string value)
    {
        var data = Directory.CreateTempSubdirectory("meterai-badbase-").FullName;
        var e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment=Development", $"--Database:DataDirectory={data}", "--" + TestSecrets.Setting, $"--{PublicAddress.Setting}={value}"]));
        Assert.Contains(PublicAddress.Setting, e.Message);
    }

    [Theory]
    [InlineData("https://meterai.contoh.id", "https://meterai.contoh.id")]
    [InlineData(" https://meterai.contoh.id/ ", "https://meterai.contoh.id")]
    [InlineData("http://127.0.0.1:8080/meterai/", "http://127.0.0.1:8080/meterai")]
    public void A_plain_address_is_taken_without_its_trailing_slash(string value, string expected) =>
        Assert.Equal(expected, PublicAddress.Check(value));

    /// <summary>Stamps a page and answers the verify link of the stamp's answer and the payload of the QR code on the page.</summary>
    private static async Task<(string Verify, string Qr)> StampAndReadAsync(TestService service)
    {
        ExternalTool.Require("pdftoppm");
        ExternalTool.Require("zbarimg");
        var world = await World.CreateAsync(service);
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), TestPdf.Create(pages: 1), world.Fields(("rect", "300,300,500,450")));
        var output = await stamped.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(stamped.StatusCode == HttpStatusCode.Created, System.Text.Encoding.UTF8.GetString(output) + "\n" + service.Logs);
        var stamp = await service.GetJsonAsync($"/api/v1/stamps/{stamped.Headers.GetValues("Meterai-Stamp-Id").Single()}", world.ChannelToken);
        var verify = stamp.GetProperty("links").GetProperty("verify").GetString()!;
        var serial = await service.GetJsonAsync($"/api/v1/serials/{stamped.Headers.GetValues("Meterai-Serial").Single()}");
        Assert.Equal(verify, serial.GetProperty("verify_url").GetString());

        var dir = Directory.CreateTempSubdirectory("meterai-qr-").FullName;
        var pdf = Path.Combine(dir, "stamped.pdf");
        await File.WriteAllBytesAsync(pdf, output, Ct);
        Assert.Equal(0, ExternalTool.Run("pdftoppm", ["-r", "200", "-png", "-singlefile", pdf, Path.Combine(dir, "page")]).ExitCode);
        var qr = ExternalTool.Run("zbarimg", ["--quiet", "--raw", Path.Combine(dir, "page.png")]);
        Assert.True(qr.ExitCode == 0, qr.All);
        return (verify, qr.StdOut.Trim());
    }
}
