using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meterai.Server.Tests.Support;

/// <summary>JSON over HTTP against a service: in-process (<see cref="TestService"/>) or a child process (<see cref="RemoteService"/>).</summary>
public abstract class ApiClient(Uri baseAddress) : IDisposable
{
    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>What to show when a call fails (the service's logs, when the test holds them).</summary>
    protected virtual string Diagnostics => "";

    /// <summary>POSTs JSON and returns the answer's JSON, failing the test on a non-success status.</summary>
    public async Task<JsonElement> PostJsonAsync(string path, object body, string? token = null, string? idempotencyKey = null)
    {
        using var response = await SendJsonAsync(HttpMethod.Post, path, body, token, idempotencyKey);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}\n{Diagnostics}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}\n{Diagnostics}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, object? body, string? token = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>A service running elsewhere (a <see cref="Meterai.TestSupport.ServerProcess"/>).</summary>
public sealed class RemoteService(Uri baseAddress) : ApiClient(baseAddress);
