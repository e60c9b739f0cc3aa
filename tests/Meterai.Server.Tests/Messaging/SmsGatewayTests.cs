using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Meterai.Server.Tests.Messaging;

/// <summary>Issue 10 item 8: codes for mobile numbers go to an HTTP SMS gateway (a real local endpoint here).</summary>
public sealed partial class SmsGatewayTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private const string ApiKey = "sms-gateway-key-1";

    [Fact]
    public async Task A_login_code_for_a_mobile_number_goes_to_the_gateway_with_its_key_and_completes()
    {
        await using var gateway = await Gateway.StartAsync(status: 202);
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, gateway.Settings());
        var number = "0812" + Random.Shared.Next(10_000_000, 99_999_999);

        var registered = await service.PostJsonAsync("/api/v1/applicants", new { contact = number, password = "kata-sandi-panjang" });

        var sms = Assert.Single(gateway.Received);
        Assert.Equal(ApiKey, sms.Key);
        Assert.Equal("+62" + number[1..], sms.Body.GetProperty("to").GetString());
        var message = sms.Body.GetProperty("message").GetString()!;
        Assert.StartsWith("Kode pendaftaran Meterai Anda: ", message);
        Assert.Contains("Your Meterai registration code", message);
        var code = SixDigits().Match(message).Value;
        var token = await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = registered.GetProperty("challenge_id").GetString(), code });
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
        Assert.DoesNotContain(code, service.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_that_fails_is_503_code_delivery_failed_and_the_log_masks_the_number()
    {
        await using var gateway = await Gateway.StartAsync(status: 500);
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, gateway.Settings());
        var number = "+62812" + Random.Shared.Next(10_000_000, 99_999_999);

        using var answer = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = number, password = "kata-sandi-panjang" });

        var problem = await ProblemAssert.IsAsync(answer, 503, "code_delivery_failed");
        var code = SixDigits().Match(Assert.Single(gateway.Received).Body.GetProperty("message").GetString()!).Value;
        Assert.DoesNotContain(code, problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(number, service.Logs.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, service.Logs.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    private sealed record Sms(string? Key, JsonElement Body);

    /// <summary>An SMS gateway on loopback (real Kestrel) that keeps what it is sent and answers <c>status</c>.</summary>
    private sealed class Gateway(WebApplication app, ConcurrentQueue<Sms> received) : IAsyncDisposable
    {
        public IReadOnlyCollection<Sms> Received => received;

        public static async Task<Gateway> StartAsync(int status)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var received = new ConcurrentQueue<Sms>();
            app.MapPost("/v1/sms", async (HttpContext http) =>
            {
                var body = await JsonDocument.ParseAsync(http.Request.Body);
                received.Enqueue(new Sms(http.Request.Headers["X-Api-Key"].FirstOrDefault(), body.RootElement.Clone()));
                return Results.StatusCode(status);
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new Gateway(app, received);
        }

        public string[] Settings() => [$"Messaging:Sms:Url={app.Urls.First()}/v1/sms", $"Messaging:Sms:ApiKey={ApiKey}", "Messaging:Sms:Sender=METERAI"];

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
