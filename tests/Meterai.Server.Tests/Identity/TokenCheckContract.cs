using System.Net;
using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Server.Identity;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Identity;

/// <summary>
/// Issue 10, items 5 (the token half) and 10e, through the real HTTP stack. The tokens here are minted with the
/// service's own signing key, read in-process, as someone holding a stolen key would mint them: the signature is
/// good, so only the checks after it stand between the attacker and the service.
/// </summary>
public abstract class TokenCheckContract(DatabaseBackend backend)
{
    private const string LifetimeExceeded = "token_lifetime_exceeded";
    private const string SubjectUnknown = "token_subject_unknown";

    [Fact]
    public async Task A_token_that_lives_longer_than_the_configured_maximum_is_refused_when_checked()
    {
        await using var service = await TestService.StartAsync(backend);
        var op = await OperatorIdAsync(service, OperatorRole.IssuerAdmin);
        var admin = new Principal(op, PrincipalKind.Operator, 0, [OperatorRole.IssuerAdmin]);

        // A year-long token for a real issuer admin, issued now.
        var yearLong = Mint(service, admin, TimeSpan.FromDays(365));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, yearLong), 401, LifetimeExceeded);
        // Issued long ago, still a long way from expiry: exp − iat gives it away.
        var oldAndLong = Mint(service, admin, TimeSpan.FromDays(365), new ManualClock(DateTimeOffset.UtcNow.AddDays(-200)));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, oldAndLong), 401, LifetimeExceeded);
        // Dated in the future with an ordinary lifetime: exp − now gives it away.
        var future = Mint(service, admin, TimeSpan.FromMinutes(15), new ManualClock(DateTimeOffset.UtcNow.AddDays(30)));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, future), 401, LifetimeExceeded);

        // The configured lifetime itself is fine.
        using var ordinary = await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, Mint(service, admin, TimeSpan.FromMinutes(15)));
        Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);
    }

    [Fact]
    public async Task A_token_for_an_operator_who_does_not_exist_or_lacks_the_role_is_refused()
    {
        await using var service = await TestService.StartAsync(backend);
        var ghost = Mint(service, new Principal(LedgerId.New(), PrincipalKind.Operator, 0, [OperatorRole.IssuerAdmin]), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, ghost), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", new { code = "hantu-" + Guid.NewGuid().ToString("N")[..8], name = "Hantu", service_fee = 0 }, ghost),
            401, SubjectUnknown);

        // A real auditor's id with a role the auditor does not hold.
        var auditor = await OperatorIdAsync(service, OperatorRole.Auditor);
        var raised = Mint(service, new Principal(auditor, PrincipalKind.Operator, 0, [OperatorRole.IssuerAdmin, OperatorRole.Auditor]), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, raised), 401, IdentityErrors.TokenRevoked);
    }

    [Fact]
    public async Task A_disabled_operators_token_is_refused_on_every_node()
    {
        await using var a = await TestService.StartAsync(backend);
        await using var b = await TestService.StartAsync(backend);
        var (email, password) = await a.OperatorAsync(OperatorRole.IssuerAdmin);
        var token = (await a.PostJsonAsync("/api/v1/auth/operator/login", new { email, password })).GetProperty("access_token").GetString()!;
        await b.GetJsonAsync("/api/v1/issuer", token);

        // What `meterai operator disable` writes (both dialects: a time the row already holds).
        Assert.Equal(1, await backend.ExecuteRawAsync($"UPDATE operators SET disabled_at = created_at WHERE email = '{email}'"));
        foreach (var node in new[] { a, b })
        {
            await ProblemAssert.IsAsync(await node.SendJsonAsync(HttpMethod.Get, "/api/v1/issuer", null, token), 401, IdentityErrors.TokenRevoked);
        }
    }

    [Fact]
    public async Task A_forged_token_for_a_missing_applicant_channel_or_operator_is_401_with_a_code_not_500()
    {
        await using var service = await TestService.StartAsync(backend);
        var applicant = Mint(service, new Principal(LedgerId.New(), PrincipalKind.Applicant, Channel.DirectId, []), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, applicant), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/quota", null, applicant), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await StampClient.StampAsync(service.Http, applicant, "hantu-1", TestPdf.Create()), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/orders", new { quantity = 1, method = "qris" }, applicant, "hantu-2"), 401, SubjectUnknown);

        var channelId = LedgerId.New();
        var channel = Mint(service, new Principal(channelId, PrincipalKind.Channel, channelId, [], LedgerId.New()), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channel", null, channel), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channel/applicants", new { external_ref = "hantu" }, channel), 401, SubjectUnknown);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channel/api-keys", new { name = "hantu" }, channel), 401, SubjectUnknown);

        var op = Mint(service, new Principal(LedgerId.New(), PrincipalKind.Operator, 0, [OperatorRole.Auditor]), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channels", null, op), 401, SubjectUnknown);

        // A real applicant named with another channel than its own is forged too.
        var (_, realId) = await service.ApplicantAsync();
        Assert.True(PublicId.TryParse(realId, out var real));
        var otherChannel = Mint(service, new Principal(real, PrincipalKind.Applicant, LedgerId.New(), []), TimeSpan.FromMinutes(15));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/quota", null, otherChannel), 401, SubjectUnknown);
    }

    /// <summary>A token signed with the service's own key (as a stolen copy of it would sign), with any lifetime and issue time.</summary>
    private static string Mint(TestService service, Principal principal, TimeSpan lifetime, IClock? issuedBy = null) =>
        new AccessTokens(service.Service<TokenKeyRing>(), service.Service<IdentityOptions>() with { AccessTokenLifetime = lifetime }, issuedBy ?? SystemClock.Instance)
            .Issue(principal).Token;

    private static async Task<UInt128> OperatorIdAsync(TestService service, string role)
    {
        var (email, _) = await service.OperatorAsync(role);
        return (await service.Database.Operators.FindByEmailAsync(email, TestContext.Current.CancellationToken))!.Id;
    }
}

public sealed class SqliteTokenCheckTests(SqliteBackend backend) : TokenCheckContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresTokenCheckTests(PostgresBackend backend) : TokenCheckContract(backend), IClassFixture<PostgresBackend>;
