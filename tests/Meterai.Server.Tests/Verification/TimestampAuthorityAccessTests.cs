using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Verification;

/// <summary>
/// Issue 10, item 9 (the TSA half): <c>POST /tsa</c> signed timestamps for anyone (2,000 in 1.8 s). It answers the
/// service's own callers only: an authenticated caller, up to <c>Signing:TsaPermitsPerMinute</c> a minute on a node
/// (429 <c>too_many_timestamps</c> past it), and the addresses in <c>Signing:TsaAllowedClients</c> (other nodes that
/// timestamp through this one). Stamping itself never goes through HTTP with the in-process authority.
/// </summary>
public sealed class TimestampAuthorityAccessTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anyone_on_the_network_gets_no_timestamp()
    {
        await using var service = await TestService.StartAsync(backend);
        for (var i = 0; i < 3; i++)
        {
            using var answer = await PostAsync(service.Http, Query().Der, null);
            await ProblemAssert.IsAsync(answer, 401, "token_missing");
        }

        using var forged = await PostAsync(service.Http, Query().Der, "not-a-token");
        await ProblemAssert.IsAsync(forged, 401, "token_malformed");
    }

    [Fact]
    public async Task A_caller_of_the_service_gets_timestamps_up_to_its_limit_a_minute_then_429()
    {
        await using var service = await TestService.StartAsync(backend, null, "Signing:TsaPermitsPerMinute=3");
        var (first, _) = await service.ApplicantAsync();
        for (var i = 0; i < 3; i++) await AssertGrantedAsync(service.Http, first);

        using (var refused = await PostAsync(service.Http, Query().Der, first))
        {
            await ProblemAssert.IsAsync(refused, 429, "too_many_timestamps");
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // The limit is the caller's, not the node's.
        var (second, _) = await service.ApplicantAsync();
        await AssertGrantedAsync(service.Http, second);
    }

    [Fact]
    public async Task An_allow_listed_node_timestamps_without_a_token_and_another_node_stamps_through_it()
    {
        await using var authority = await TestService.StartAsync(backend, null, "Signing:TsaAllowedClients=127.0.0.1/32", "Signing:TsaPermitsPerMinute=1");
        for (var i = 0; i < 3; i++) await AssertGrantedAsync(authority.Http, null); // allow-listed addresses are not counted

        await using var stamper = await TestService.StartAsync(backend, null, $"Signing:Timestamp={authority.Http.BaseAddress}tsa");
        var world = await World.CreateAsync(stamper, sell: 1);
        using var stamped = await StampClient.StampAsync(stamper.Http, world.ChannelToken, "via-http-tsa", TestPdf.Create(), world.Fields());
        Assert.True(stamped.StatusCode == HttpStatusCode.Created, await stamped.Content.ReadAsStringAsync(Ct));
        using var verified = await StampClient.VerifyAsync(stamper.Http, await stamped.Content.ReadAsByteArrayAsync(Ct));
        var signature = (await Json(verified)).GetProperty("signatures")[0];
        Assert.Equal(JsonValueKind.String, signature.GetProperty("timestamp_time").ValueKind); // B-T: the token came from the other node
    }

    private static async Task AssertGrantedAsync(HttpClient http, string? token)
    {
        var (request, der) = Query();
        using var answer = await PostAsync(http, der, token);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/timestamp-reply", answer.Content.Headers.ContentType?.MediaType);
        var granted = request.ProcessResponse(await answer.Content.ReadAsByteArrayAsync(Ct), out _);
        Assert.NotNull(granted.TokenInfo);
    }

    private static (Rfc3161TimestampRequest Request, byte[] Der) Query()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData(Guid.NewGuid().ToByteArray()), HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        return (request, request.Encode());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] query, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tsa") { Content = new ByteArrayContent(query) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
}
