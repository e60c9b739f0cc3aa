using System.Net;
using System.Text;
using System.Text.Json;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Api;

/// <summary>What every endpoint shares: problem details with codes, correlation ids, body limits, the OpenAPI document.</summary>
public sealed class ApiConventionTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Framework_errors_are_problem_details_with_codes_and_the_correlation_id_is_echoed()
    {
        await using var service = await TestService.StartAsync(backend, null, "Api:MaxJsonBodyBytes=2048");

        using var notFound = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing-here");
        notFound.Headers.Add("X-Correlation-Id", "kanal-123.abc");
        var response = await service.Http.SendAsync(notFound, Ct);
        var body = await ProblemAssert.IsAsync(response, 404, "not_found");
        Assert.Equal("kanal-123.abc", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("kanal-123.abc", body.GetProperty("correlation_id").GetString());

        // A correlation id with characters that do not belong in logs is replaced by a fresh one.
        using var odd = new HttpRequestMessage(HttpMethod.Get, "/health");
        odd.Headers.TryAddWithoutValidation("X-Correlation-Id", "a b\"c");
        var healthy = await service.Http.SendAsync(odd, Ct);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", healthy.Headers.GetValues("X-Correlation-Id").Single());

        await ProblemAssert.IsAsync(await service.Http.DeleteAsync("/health", Ct), 405, "method_not_allowed");
        await ProblemAssert.IsAsync(await service.Http.PostAsync("/api/v1/applicants", new StringContent("{\"contact\": ", Encoding.UTF8, "application/json"), Ct),
            400, "invalid_json");
        await ProblemAssert.IsAsync(await service.Http.PostAsync("/api/v1/applicants", new StringContent("contact=x", Encoding.UTF8, "text/plain"), Ct),
            415, "unsupported_media_type");
        var big = JsonSerializer.Serialize(new { contact = new string('a', 5000), password = "x" });
        await ProblemAssert.IsAsync(await service.Http.PostAsync("/api/v1/applicants", new StringContent(big, Encoding.UTF8, "application/json"), Ct),
            413, "request_too_large");
    }

    [Fact]
    public async Task The_openapi_document_lists_endpoints_with_their_problem_codes()
    {
        await using var service = await TestService.StartAsync(backend);
        var doc = await service.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        var login = paths.GetProperty("/api/v1/auth/applicant/login").GetProperty("post");
        var codes = login.GetProperty("x-problem-codes");
        Assert.Contains(codes.GetProperty("401").EnumerateArray(), c => c.GetString() == "invalid_credentials");
        Assert.Contains(codes.GetProperty("429").EnumerateArray(), c => c.GetString() == "too_many_attempts");
        Assert.True(login.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("Problem", out _));
        Assert.True(paths.TryGetProperty("/api/v1/channels/{id}/api-keys", out _));
    }
}
