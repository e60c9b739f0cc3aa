using System.Net;
using System.Net.Http.Headers;
using Meterai.Core.Identity;
using Meterai.Core.Serials;
using Meterai.Server.Stamping;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Stamping;

/// <summary>
/// GET /api/v1/serials/{serial}/image through the real HTTP stack, on SQLite and PostgreSQL: the picture scans (zbarimg)
/// to the stamp's verify URL as PNG and as JPEG, and only the serial's applicant, channel or an auditor gets it —
/// anyone else meets the same 404 as an unknown serial.
/// </summary>
public abstract class StampImageContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_picture_of_ones_own_stamp_scans_to_its_verify_url_as_png_and_as_jpeg()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 1);
        var serial = await StampAsync(service, world);
        var verifyUrl = (await service.GetJsonAsync($"/api/v1/serials/{serial}", null)).GetProperty("verify_url").GetString();
        Assert.Equal($"/V/{serial}", new Uri(verifyUrl!).AbsolutePath);

        using var png = await GetAsync(service, $"/api/v1/serials/{serial}/image?size=183", world.ChannelToken);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var picture = await png.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(verifyUrl, Scan(picture, "png"));
        var artifacts = Directory.CreateDirectory(Path.Combine(TestEnvironment.RepositoryRoot, "TestResults", "stamp-sizes")).FullName;
        File.WriteAllBytes(Path.Combine(artifacts, "serial-image-183px.png"), picture);

        using var jpeg = await GetAsync(service, $"/api/v1/serials/{serial}/image?format=jpeg&size=400", world.ChannelToken);
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
        Assert.Equal(verifyUrl, Scan(await jpeg.Content.ReadAsByteArrayAsync(Ct), "jpg"));

        using var accepted = await GetAsync(service, $"/api/v1/serials/{serial}/image", world.ChannelToken, accept: "image/jpeg");
        Assert.Equal("image/jpeg", accepted.Content.Headers.ContentType?.MediaType);
        Assert.Equal(verifyUrl, Scan(await accepted.Content.ReadAsByteArrayAsync(Ct), "jpg"));

        // The smallest picture allowed still scans.
        using var small = await GetAsync(service, $"/api/v1/serials/{serial}/image?size=128", world.ChannelToken);
        Assert.Equal(verifyUrl, Scan(await small.Content.ReadAsByteArrayAsync(Ct), "png"));
    }

    [Fact]
    public async Task Someone_elses_serial_answers_like_an_unknown_one_and_bad_requests_have_their_codes()
    {
        await using var service = await TestService.StartAsync(backend);
        var one = await World.CreateAsync(service, sell: 1);
        var two = await World.CreateAsync(service, sell: 1, admin: one.Admin);
        var serial = await StampAsync(service, one);
        var auditor = await service.OperatorTokenAsync(OperatorRole.Auditor);
        var (stranger, _) = await service.ApplicantAsync();

        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image", null), 401, IdentityErrors.TokenMissing);
        var theirs = await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image", two.ChannelToken), 404, SerialRegistryErrors.NotFound);
        var strangers = await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image", stranger), 404, SerialRegistryErrors.NotFound);
        var unknown = await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{SerialNumber.New()}/image", one.ChannelToken), 404, SerialRegistryErrors.NotFound);
        Assert.Equal(unknown.GetProperty("detail").GetString(), theirs.GetProperty("detail").GetString()); // no existence leak
        Assert.Equal(unknown.GetProperty("detail").GetString(), strangers.GetProperty("detail").GetString());

        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image?size=127", one.ChannelToken), 400, StampImageEndpoint.SizeInvalid);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image?size=1025", one.ChannelToken), 400, StampImageEndpoint.SizeInvalid);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image?size=99999999999", one.ChannelToken), 400, StampImageEndpoint.SizeInvalid);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image?size=-5", one.ChannelToken), 400, StampImageEndpoint.SizeInvalid);
        await ProblemAssert.IsAsync(await GetAsync(service, $"/api/v1/serials/{serial}/image?format=gif", one.ChannelToken), 400, StampImageEndpoint.FormatInvalid);
        await ProblemAssert.IsAsync(await GetAsync(service, "/api/v1/serials/ABC/image", one.ChannelToken), 400, SerialErrors.InvalidLength);

        // The auditor reads everything; the owner's applicant too.
        using var audited = await GetAsync(service, $"/api/v1/serials/{serial}/image", auditor);
        Assert.Equal(HttpStatusCode.OK, audited.StatusCode);
    }

    [Fact]
    public async Task A_caller_asking_for_pictures_in_a_burst_is_held_to_its_rate_and_others_are_not()
    {
        // A 1024 px PNG costs some fifty stamps' worth of processor time: the rate is counted per caller before drawing.
        await using var service = await TestService.StartAsync(backend, null, "Stamping:ImagesPerCallerPerMinute=3");
        var one = await World.CreateAsync(service, sell: 1);
        var serial = await StampAsync(service, one);
        var auditor = await service.OperatorTokenAsync(OperatorRole.Auditor);

        var burst = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => GetAsync(service, $"/api/v1/serials/{serial}/image?size=1024", one.ChannelToken)));
        Assert.Equal(3, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = burst.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(3, refused.Count);
        foreach (var r in refused)
        {
            Assert.NotNull(r.Headers.RetryAfter);
            await ProblemAssert.IsAsync(r, 429, StampImageEndpoint.RateLimited);
        }

        using var other = await GetAsync(service, $"/api/v1/serials/{serial}/image", auditor);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private static async Task<string> StampAsync(TestService service, World world)
    {
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), TestPdf.Create(), world.Fields());
        Assert.True(stamped.IsSuccessStatusCode, await stamped.Content.ReadAsStringAsync(Ct));
        return stamped.Headers.GetValues("Meterai-Serial").Single();
    }

    private static async Task<HttpResponseMessage> GetAsync(TestService service, string path, string? token, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await service.Http.SendAsync(request, Ct);
    }

    private static string Scan(byte[] picture, string extension)
    {
        ExternalTool.Require("zbarimg");
        var path = Path.Combine(Path.GetTempPath(), $"meterai-stamp-image-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, picture);
        try
        {
            var r = ExternalTool.Run("zbarimg", ["--raw", "-q", path]);
            Assert.True(r.ExitCode == 0, $"zbarimg found no QR code in the {extension} (exit {r.ExitCode}): {r.All}");
            return r.StdOut.TrimEnd('\n');
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class SqliteStampImageTests(SqliteBackend backend) : StampImageContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresStampImageTests(PostgresBackend backend) : StampImageContract(backend), IClassFixture<PostgresBackend>;
