using System.Net;
using System.Net.Http.Json;
using Meterai.Core.Identity;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Identity;

/// <summary>
/// Issue 10, item 7, through the real HTTP stack: failed logins slow down the client that makes them, by growing
/// delays, and never lock the account's owner out. Clients are told apart by X-Forwarded-For from a trusted proxy.
/// </summary>
public abstract class LoginThrottleContract(DatabaseBackend backend)
{
    private const string Attacker = "203.0.113.7";
    private const string Owner = "198.51.100.9";

    [Fact]
    public async Task Wrong_passwords_from_another_client_never_lock_the_issuer_admin_out()
    {
        await using var service = await TestService.StartAsync(backend, null, "Api:TrustedProxies=127.0.0.1");
        var (email, password) = await service.OperatorAsync(OperatorRole.IssuerAdmin);
        for (var i = 0; i < 12; i++)
        {
            using var guess = await SendFromAsync(service, Attacker, "/api/v1/auth/operator/login", new { email, password = $"tebakan-salah-{i:D2}" });
            Assert.True(guess.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"guess {i}: {(int)guess.StatusCode}");
        }

        using var owner = await SendFromAsync(service, Owner, "/api/v1/auth/operator/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_from_another_client_never_lock_an_applicant_out()
    {
        await using var service = await TestService.StartAsync(backend, null, "Api:TrustedProxies=127.0.0.1");
        var contact = $"pemilik.{Guid.NewGuid():N}@contoh.id";
        await service.ApplicantAsync(contact, "kata-sandi-pemilik-1");
        for (var i = 0; i < 12; i++)
        {
            using var guess = await SendFromAsync(service, Attacker, "/api/v1/auth/applicant/login", new { identifier = contact, password = $"tebakan-salah-{i:D2}" });
            Assert.True(guess.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"guess {i}: {(int)guess.StatusCode}");
        }

        using var owner = await SendFromAsync(service, Owner, "/api/v1/auth/applicant/login", new { identifier = contact, password = "kata-sandi-pemilik-1" });
        Assert.Equal(HttpStatusCode.Accepted, owner.StatusCode);
    }

    [Fact]
    public async Task Delays_grow_with_each_failure_hold_on_every_node_and_the_right_password_works_once_they_pass()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        string[] settings = ["Api:TrustedProxies=127.0.0.1", "Identity:LoginFreeFailures=2"];
        await using var a = await TestService.StartWithClockAsync(backend, clock, null, settings);
        await using var b = await TestService.StartWithClockAsync(backend, clock, null, settings);
        var (email, password) = await a.OperatorAsync(OperatorRole.IssuerAdmin);

        // Two failures are free; the third costs the client a delay before it may try again, on either node.
        for (var i = 0; i < 3; i++) await ExpectAsync(i % 2 == 0 ? a : b, new { email, password = "tebakan-salah" }, HttpStatusCode.Unauthorized);
        var first = await ExpectAsync(b, new { email, password = "tebakan-salah" }, HttpStatusCode.TooManyRequests);
        // While the delay runs even the right password waits: a guesser cannot tell a hit from a miss.
        Assert.True(first <= (await ExpectAsync(a, new { email, password }, HttpStatusCode.TooManyRequests)));

        clock.Advance(first);
        await ExpectAsync(a, new { email, password = "tebakan-salah" }, HttpStatusCode.Unauthorized);
        var second = await ExpectAsync(b, new { email, password = "tebakan-salah" }, HttpStatusCode.TooManyRequests);
        Assert.True(second > first, $"the delay did not grow: {first} then {second}");
        Assert.True(first < TimeSpan.FromMinutes(1), $"a first delay of {first} is a lock-out, not a delay");

        clock.Advance(second);
        await ExpectAsync(b, new { email, password }, HttpStatusCode.OK);
        // A success forgets the failures: the next mistake is free again.
        await ExpectAsync(a, new { email, password = "tebakan-salah" }, HttpStatusCode.Unauthorized);
        await ExpectAsync(a, new { email, password }, HttpStatusCode.OK);
    }

    /// <summary>Operator login from the owner's client; answers the Retry-After of a 429 (zero otherwise).</summary>
    private static async Task<TimeSpan> ExpectAsync(TestService node, object body, HttpStatusCode expected)
    {
        using var response = await SendFromAsync(node, Owner, "/api/v1/auth/operator/login", body);
        if (expected == HttpStatusCode.TooManyRequests)
        {
            await ProblemAssert.IsAsync(response, 429, IdentityErrors.TooManyAttempts);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
            return response.Headers.RetryAfter!.Delta!.Value;
        }

        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return TimeSpan.Zero;
    }

    private static async Task<HttpResponseMessage> SendFromAsync(TestService service, string client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", client);
        return await service.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

public sealed class SqliteLoginThrottleTests(SqliteBackend backend) : LoginThrottleContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresLoginThrottleTests(PostgresBackend backend) : LoginThrottleContract(backend), IClassFixture<PostgresBackend>;
