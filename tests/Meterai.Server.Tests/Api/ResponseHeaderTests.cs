using System.Net;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Api;

/// <summary>
/// Issue 10, item 10b: every answer says <c>X-Content-Type-Options: nosniff</c> and a <c>Referrer-Policy</c>; token
/// answers, files and every other answer are <c>Cache-Control: no-store</c> unless an endpoint sets its own; HTML
/// pages carry a Content-Security-Policy with <c>frame-ancestors 'none'</c>. One convention (ResponseHeaders), so a
/// new page or endpoint gets it without asking.
/// </summary>
public sealed class ResponseHeaderTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_file_page_problem_and_public_answers_carry_the_security_headers()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service, sell: 1);

        // A token answer (the code step), a JSON answer, a problem, a public answer.
        var contact = $"header.{Guid.NewGuid():N}@contoh.id";
        var sent = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = "kata-sandi-panjang" });
        using (var token = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
                   new { challenge_id = sent.GetProperty("challenge_id").GetString(), code = service.Codes.LastCodeFor(contact) }))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            AssertSecured(token, "a token answer");
        }

        using (var health = await service.Http.GetAsync("/health", Ct)) AssertSecured(health, "/health");
        using (var missing = await service.Http.GetAsync("/api/v1/nothing-here", Ct)) AssertSecured(missing, "a 404 problem");
        using (var denied = await service.Http.GetAsync("/api/v1/quota", Ct)) AssertSecured(denied, "a 401 problem");

        // The stamped file, as answered to the stamp request and as downloaded later.
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, "headers", TestPdf.Create(), world.Fields());
        Assert.Equal(HttpStatusCode.Created, stamped.StatusCode);
        AssertSecured(stamped, "the stamped file");
        var stampId = stamped.Headers.Location!.OriginalString.Split('/')[^1];
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stamps/{stampId}/file"))
        {
            request.Headers.Authorization = new("Bearer", world.ChannelToken);
            using var download = await service.Http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            AssertSecured(download, "the file download");
        }

        // The verification page: a page, so it may not be framed and loads nothing from elsewhere.
        var serial = stamped.Headers.GetValues("Meterai-Serial").Single();
        using var page = await service.Http.GetAsync($"/v/{serial}", Ct);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        AssertSecured(page, "the verification page");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal); // no script at all: default-src 'none' covers it
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    private static void AssertSecured(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", $"{what}: no nosniff");
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", $"{what}: no Referrer-Policy");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: not no-store ({response.Headers.CacheControl})");
    }
}
