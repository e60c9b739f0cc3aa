using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Storage;

namespace Meterai.Bench.Payments;

/// <summary>
/// Buyers that are sales channels, created the way an issuer admin creates them (over the API: the channel with its
/// service fee, then an API key), each exchanging its key for a token when it needs one. Channels rather than applicants
/// because an applicant's registration needs a one-time code from a person; a channel buys stamps for its deposit
/// through the very same order endpoint.
/// </summary>
public sealed class ChannelBuyers(string adminToken, string runId) : IChaosBuyerSource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IReadOnlyList<ChaosBuyer>> ProvisionAsync(HttpClient server, int count, CancellationToken cancellationToken)
    {
        var buyers = new ChaosBuyer[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // Fees vary per channel, so orders are priced from each buyer's own channel.
            var channel = await PostAsync(server, "api/v1/channels", new { code = $"chaos-{runId}-{i}", name = $"Chaos reseller {i}", service_fee = i % 5 * 500 }, ct)
                .ConfigureAwait(false);
            var id = channel.GetProperty("id").GetString()!;
            var key = (await PostAsync(server, $"api/v1/channels/{id}/api-keys", new { name = "chaos" }, ct).ConfigureAwait(false)).GetProperty("key").GetString()!;
            PublicId.TryParse(id, out var channelId);
            buyers[i] = new ChaosBuyer($"channel {i}", QuotaAccounts.ChannelDepositId(channelId), (http, c) => TokenAsync(http, key, c));
        }).ConfigureAwait(false);
        return buyers;
    }

    /// <summary>Creates an operator in the database, as `meterai operator add` does, and logs it in over the API.</summary>
    public static async Task<string> OperatorTokenAsync(MeteraiDatabase database, HttpClient server, string role, CancellationToken ct)
    {
        var email = $"chaos.{Guid.NewGuid():N}@meterai.id";
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        // A low work factor: the hash records its parameters, so the server verifies it as it is.
        var access = new OperatorAccess(database.Operators, database.LoginThrottle, new PasswordHasher(1_000), new IdentitySettings(), SystemClock.Instance);
        var created = await access.CreateAsync(email, [role], password, ct).ConfigureAwait(false);
        if (!created.IsOk) throw new InvalidOperationException($"operator: {created.Error}");
        var token = await PostAsync(server, "api/v1/auth/operator/login", new { email, password }, ct, bearer: null).ConfigureAwait(false);
        return token.GetProperty("access_token").GetString()!;
    }

    private static async Task<string> TokenAsync(HttpClient http, string apiKey, CancellationToken ct) =>
        (await PostAsync(http, "api/v1/auth/channel/token", new { api_key = apiKey }, ct, bearer: null).ConfigureAwait(false)).GetProperty("access_token").GetString()!;

    private Task<JsonElement> PostAsync(HttpClient http, string path, object body, CancellationToken ct) => PostAsync(http, path, body, ct, adminToken);

    /// <summary>POSTs JSON; a non-success answer throws <see cref="HttpRequestException"/> (5xx: the caller may retry).</summary>
    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, CancellationToken ct, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
