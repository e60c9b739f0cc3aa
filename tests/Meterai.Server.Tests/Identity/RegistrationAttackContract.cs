using System.Net;
using System.Text.Json;
using Meterai.Core.Identity;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Identity;

/// <summary>
/// Issue 10, items 3 and 10a, through the real HTTP stack: a stranger re-registering a pending address, guessing codes
/// across many challenges, and learning whether an address has an account.
/// </summary>
public abstract class RegistrationAttackContract(DatabaseBackend backend)
{
    private const string VictimPassword = "kata-sandi-korban-1";
    private const string AttackerPassword = "kata-sandi-penyerang-1";

    [Fact]
    public async Task A_later_registration_never_changes_the_password_an_earlier_code_activates()
    {
        await using var service = await TestService.StartAsync(backend);
        var contact = $"korban.{Guid.NewGuid():N}@contoh.id";
        var victim = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = VictimPassword });
        var victimCode = service.Codes.LastCodeFor(contact);

        // The attacker registers the same, still pending, address with a password of their own.
        using (var again = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = AttackerPassword }))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        // The victim types the code that was sent for *their* registration: it activates their password, not the attacker's.
        await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = victim.GetProperty("challenge_id").GetString(), code = victimCode });
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = AttackerPassword }),
            401, IdentityErrors.InvalidCredentials);
        var login = await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = contact, password = VictimPassword });
        Assert.Equal("login", login.GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task The_first_registration_confirmed_wins_and_the_others_die()
    {
        await using var service = await TestService.StartAsync(backend);
        var contact = $"pelamar.{Guid.NewGuid():N}@contoh.id";
        var first = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = VictimPassword });
        var firstCode = service.Codes.LastCodeFor(contact);
        var second = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = AttackerPassword });
        var secondCode = service.Codes.LastCodeFor(contact);

        // The owner confirms the later one (say the first mail was slow): its password is the account's.
        var token = await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = second.GetProperty("challenge_id").GetString(), code = secondCode });
        Assert.Equal("applicant", token.GetProperty("principal").GetProperty("kind").GetString());
        // The earlier registration can no longer create or change the account, even with its right code.
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = first.GetProperty("challenge_id").GetString(), code = firstCode }), 409, IdentityErrors.ContactAlreadyRegistered);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = VictimPassword }),
            401, IdentityErrors.InvalidCredentials);
        await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = contact, password = AttackerPassword });
    }

    [Fact]
    public async Task Code_challenges_for_one_address_are_limited_across_nodes_and_answer_429_with_retry_after()
    {
        await using var a = await TestService.StartAsync(backend, null, "Identity:CodesPerAddress=3");
        await using var b = await TestService.StartAsync(backend, null, "Identity:CodesPerAddress=3");
        var contact = $"sasaran.{Guid.NewGuid():N}@contoh.id";
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await (i % 2 == 0 ? a : b).SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = AttackerPassword });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        // Each new challenge would be five more guesses at a six-digit code: the fourth is refused, on either node.
        foreach (var node in new[] { a, b })
        {
            using var refused = await node.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = AttackerPassword });
            await ProblemAssert.IsAsync(refused, 429, "too_many_codes");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        }

        Assert.Equal(3, a.Codes.Sent.Count(m => m.To.Value == contact) + b.Codes.Sent.Count(m => m.To.Value == contact));
        // Another address is not affected.
        using var other = await a.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = $"lain.{Guid.NewGuid():N}@contoh.id", password = AttackerPassword });
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task Login_codes_for_one_address_are_limited_too()
    {
        await using var service = await TestService.StartAsync(backend, null, "Identity:CodesPerAddress=2");
        var contact = $"pemilik.{Guid.NewGuid():N}@contoh.id";
        await service.ApplicantAsync(contact, VictimPassword);
        for (var i = 0; i < 2; i++) await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = contact, password = VictimPassword });
        using var refused = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = VictimPassword });
        await ProblemAssert.IsAsync(refused, 429, "too_many_codes");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
    }

    [Fact]
    public async Task Code_challenges_from_one_client_address_are_limited_and_other_clients_are_not()
    {
        await using var service = await TestService.StartAsync(backend, null, "Identity:CodesPerClient=3", "Api:TrustedProxies=127.0.0.1");
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await RegisterFromAsync(service, "203.0.113.7", $"semprot.{Guid.NewGuid():N}@contoh.id");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var refused = await RegisterFromAsync(service, "203.0.113.7", $"semprot.{Guid.NewGuid():N}@contoh.id"))
        {
            await ProblemAssert.IsAsync(refused, 429, "too_many_codes");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        }

        using var elsewhere = await RegisterFromAsync(service, "198.51.100.9", $"pelamar.{Guid.NewGuid():N}@contoh.id");
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Registering_an_address_that_has_an_account_answers_as_for_a_new_one_and_tells_the_owner()
    {
        await using var service = await TestService.StartAsync(backend);
        var owner = $"pemilik.{Guid.NewGuid():N}@contoh.id";
        await service.ApplicantAsync(owner, VictimPassword);
        var codesBefore = service.Codes.Sent.Count(m => m.To.Value == owner);

        using var taken = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = owner, password = AttackerPassword });
        using var fresh = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = $"baru.{Guid.NewGuid():N}@contoh.id", password = AttackerPassword });
        var takenText = await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var freshText = await fresh.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        Assert.Equal(Members(freshText), Members(takenText));
        Assert.Equal(Member(freshText, "purpose"), Member(takenText, "purpose"));
        // Neither answer names an account: a new address has none yet, and a taken one must not give its owner's away.
        Assert.DoesNotContain("applicant_id", Members(takenText));

        // The owner hears of it by a notice, not a code; nothing about the account changed.
        Assert.Contains(service.Codes.Notices, n => n.To.Value == owner && n.Kind == AccountNoticeKind.RegistrationAttempt);
        Assert.Equal(codesBefore, service.Codes.Sent.Count(m => m.To.Value == owner));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = owner, password = AttackerPassword }),
            401, IdentityErrors.InvalidCredentials);
        await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = owner, password = VictimPassword });

        // The taken address's challenge behaves like any other: a wrong code costs an attempt.
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = Member(takenText, "challenge_id"), code = "000000" }), 401, IdentityErrors.CodeInvalid);
    }

    private static async Task<HttpResponseMessage> RegisterFromAsync(TestService service, string client, string contact)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applicants") { Content = System.Net.Http.Json.JsonContent.Create(new { contact, password = AttackerPassword }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await service.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static List<string> Members(string json) => JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    private static string? Member(string json, string name) => JsonDocument.Parse(json).RootElement.GetProperty(name).GetString();
}

public sealed class SqliteRegistrationAttackTests(SqliteBackend backend) : RegistrationAttackContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresRegistrationAttackTests(PostgresBackend backend) : RegistrationAttackContract(backend), IClassFixture<PostgresBackend>;
