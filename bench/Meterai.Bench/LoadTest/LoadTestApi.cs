using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meterai.Bench.LoadTest;

/// <summary>The JSON calls the load test makes to set itself up, as an issuer admin and a channel would.</summary>
internal sealed class LoadTestApi(HttpClient http)
{
    public async Task<JsonElement> PostAsync(string path, object body, string? token, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Sets up a channel with enough quota for <paramref name="stamps"/> stamps spread over
    /// <paramref name="applicants"/> applicants: operator login, mint, channel, deposit, allocation, API key, channel
    /// token, applicants, sales. Returns the channel token and the applicant ids.
    /// </summary>
    public async Task<(string ChannelToken, IReadOnlyList<string> Applicants)> SetUpAsync(string email, string password, long stamps, int applicants, string runId, CancellationToken ct)
    {
        var admin = (await PostAsync("/api/v1/auth/operator/login", new { email, password }, null, null, ct)).GetProperty("access_token").GetString();
        await PostAsync("/api/v1/issuer/mint", new { stamps }, admin, $"{runId}-mint", ct);
        var channel = await PostAsync("/api/v1/channels", new { code = $"loadtest-{runId}", name = $"Load test {runId}", service_fee = 1000 }, admin, null, ct);
        var channelId = channel.GetProperty("id").GetString();
        var price = channel.GetProperty("price_per_stamp").GetInt64();
        await PostAsync($"/api/v1/channels/{channelId}/deposits", new { amount = stamps * price, reference = $"LOADTEST-{runId}" }, admin, $"{runId}-deposit", ct);
        await PostAsync($"/api/v1/channels/{channelId}/allocations", new { stamps }, admin, $"{runId}-allocation", ct);
        var key = (await PostAsync($"/api/v1/channels/{channelId}/api-keys", new { name = "loadtest" }, admin, null, ct)).GetProperty("key").GetString();
        var token = (await PostAsync("/api/v1/auth/channel/token", new { api_key = key }, null, null, ct)).GetProperty("access_token").GetString()!;
        var ids = new List<string>();
        var each = stamps / applicants;
        for (var i = 0; i < applicants; i++)
        {
            var id = (await PostAsync("/api/v1/channel/applicants", new { external_ref = $"{runId}-{i}" }, token, null, ct)).GetProperty("id").GetString()!;
            await PostAsync($"/api/v1/channel/applicants/{id}/quota", new { stamps = each }, token, $"{runId}-sale-{i}", ct);
            ids.Add(id);
        }

        return (token, ids);
    }
}
