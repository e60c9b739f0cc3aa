using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Server.Identity;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Identity;

/// <summary>Identities and access through the real HTTP stack, on SQLite and PostgreSQL.</summary>
public abstract class IdentityApiContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_applicant_registers_with_a_code_and_logs_in_with_password_then_code()
    {
        await using var service = await TestService.StartAsync(backend);
        var contact = $"Budi.{Guid.NewGuid():N}@Contoh.ID";
        var sent = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = "kata-sandi-panjang" });
        Assert.Equal("registration", sent.GetProperty("purpose").GetString());
        Assert.DoesNotContain("budi", sent.GetProperty("sent_to").GetString()!, StringComparison.Ordinal);
        var code = service.Codes.LastCodeFor(contact.ToLowerInvariant());

        // A wrong code costs an attempt; the right one activates and logs in.
        var wrong = code == "000000" ? "000001" : "000000";
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = sent.GetProperty("challenge_id").GetString(), code = wrong }), 401, IdentityErrors.CodeInvalid);
        var token = await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = sent.GetProperty("challenge_id").GetString(), code });
        var applicantId = token.GetProperty("principal").GetProperty("id").GetString();
        var me = await service.GetJsonAsync("/api/v1/me", token.GetProperty("access_token").GetString());
        Assert.Equal(("applicant", applicantId), (me.GetProperty("kind").GetString(), me.GetProperty("id").GetString()));
        Assert.InRange(token.GetProperty("expires_in").GetInt64(), 15 * 60 - 5, 15 * 60);

        // The code is used up; registering the address again answers alike but sends its owner a notice, not a code.
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code",
            new { challenge_id = sent.GetProperty("challenge_id").GetString(), code }), 401, IdentityErrors.CodeAlreadyUsed);
        Assert.Equal("registration", (await service.PostJsonAsync("/api/v1/applicants", new { contact, password = "kata-sandi-lain-1" })).GetProperty("purpose").GetString());
        Assert.Single(service.Codes.Notices, n => n.To.Value == contact.ToLowerInvariant());

        // Login: password, then a login code.
        var login = await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = contact, password = "kata-sandi-panjang" });
        Assert.Equal("login", login.GetProperty("purpose").GetString());
        var loginToken = await service.PostJsonAsync("/api/v1/auth/applicant/code",
            new { challenge_id = login.GetProperty("challenge_id").GetString(), code = service.Codes.LastCodeFor(contact.ToLowerInvariant()) });
        Assert.Equal(applicantId, login.GetProperty("applicant_id").GetString());
        Assert.Equal(applicantId, loginToken.GetProperty("principal").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Bad_registration_and_login_input_is_refused_with_codes_and_failed_logins_slow_the_client_down()
    {
        await using var service = await TestService.StartAsync(backend, null, "Identity:LoginFreeFailures=2", "Identity:LoginFirstDelaySeconds=600");
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = "budi@", password = "kata-sandi-panjang" }),
            400, IdentityErrors.ContactInvalid);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = "081234567890", password = "pendek" }),
            400, IdentityErrors.PasswordTooWeak);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code", new { challenge_id = "x", code = "123456" }),
            400, "challenge_id_invalid");
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code", new { challenge_id = PublicId.Format(12345), code = "123456" }),
            404, IdentityErrors.ChallengeNotFound);

        var contact = $"siti.{Guid.NewGuid():N}@contoh.id";
        await service.ApplicantAsync(contact);
        // Unknown identifiers and wrong passwords answer alike.
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login",
            new { identifier = $"nobody.{Guid.NewGuid():N}@contoh.id", password = "kata-sandi-panjang" }), 401, IdentityErrors.InvalidCredentials);
        for (var i = 0; i < 3; i++)
        {
            await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = "salah-salah-salah" }),
                401, IdentityErrors.InvalidCredentials);
        }

        // The third failure costs this client a delay (a long one, as configured here): it waits, whatever it types.
        var delayed = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/login", new { identifier = contact, password = "kata-sandi-panjang" });
        await ProblemAssert.IsAsync(delayed, 429, IdentityErrors.TooManyAttempts);
        Assert.True(delayed.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9));
    }

    [Fact]
    public async Task A_channel_exchanges_any_of_its_keys_and_a_revoked_key_stops_working_at_once()
    {
        await using var service = await TestService.StartAsync(backend);
        var admin = await service.OperatorTokenAsync(OperatorRole.IssuerAdmin);
        var channel = await service.PostJsonAsync("/api/v1/channels", new { code = "loket-" + Guid.NewGuid().ToString("N")[..8], name = "Loket Jaya", service_fee = 1500 }, admin);
        Assert.Equal(11_500, channel.GetProperty("price_per_stamp").GetInt64());
        var channelId = channel.GetProperty("id").GetString();
        var key1 = await service.PostJsonAsync($"/api/v1/channels/{channelId}/api-keys", new { name = "kasir" }, admin);
        var token1 = (await service.PostJsonAsync("/api/v1/auth/channel/token", new { api_key = key1.GetProperty("key").GetString() })).GetProperty("access_token").GetString()!;
        var me = await service.GetJsonAsync("/api/v1/me", token1);
        Assert.Equal(("channel", channelId, channelId), (me.GetProperty("kind").GetString(), me.GetProperty("id").GetString(), me.GetProperty("channel_id").GetString()));

        // The channel makes a second key itself; listing never shows a secret.
        var key2 = await service.PostJsonAsync("/api/v1/channel/api-keys", new { name = "integrasi" }, token1);
        var listed = await service.GetJsonAsync("/api/v1/channel/api-keys", token1);
        Assert.Equal(2, listed.GetArrayLength());
        Assert.DoesNotContain("\"key\"", listed.GetRawText(), StringComparison.Ordinal);
        var token2 = (await service.PostJsonAsync("/api/v1/auth/channel/token", new { api_key = key2.GetProperty("key").GetString() })).GetProperty("access_token").GetString()!;

        // Revoking key 1 (by the admin) ends its live token and its exchange; key 2 keeps working.
        using (var revoke = await service.SendJsonAsync(HttpMethod.Delete, $"/api/v1/channels/{channelId}/api-keys/{key1.GetProperty("id").GetString()}", null, admin))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, token1), 401, IdentityErrors.TokenRevoked);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = key1.GetProperty("key").GetString() }),
            401, IdentityErrors.ApiKeyRevoked);
        await service.GetJsonAsync("/api/v1/me", token2);

        var forged = key2.GetProperty("key").GetString()![..^2] + "zz";
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = forged }), 401, IdentityErrors.ApiKeyInvalid);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = "mtr_nonsense" }), 401, IdentityErrors.ApiKeyInvalid);

        // Suspending the channel ends every token it holds.
        using (var suspend = await service.SendJsonAsync(HttpMethod.Patch, $"/api/v1/channels/{channelId}", new { status = "suspended" }, admin))
        {
            Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        }

        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, token2), 401, IdentityErrors.TokenRevoked);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = key2.GetProperty("key").GetString() }),
            403, IdentityErrors.ChannelSuspended);
    }

    [Fact]
    public async Task Revocation_reaches_a_second_node_within_its_refresh_interval()
    {
        await using var a = await TestService.StartAsync(backend, null, "Identity:RevocationRefreshSeconds=0.2");
        await using var b = await TestService.StartAsync(backend, null, "Identity:RevocationRefreshSeconds=0.2");
        var admin = await a.OperatorTokenAsync(OperatorRole.IssuerAdmin);
        var channel = await a.PostJsonAsync("/api/v1/channels", new { code = "loket-" + Guid.NewGuid().ToString("N")[..8], name = "Loket", service_fee = 0 }, admin);
        var key = await a.PostJsonAsync($"/api/v1/channels/{channel.GetProperty("id").GetString()}/api-keys", new { name = "k" }, admin);
        // A token from node A works on node B: both sign with the database's key.
        var token = (await a.PostJsonAsync("/api/v1/auth/channel/token", new { api_key = key.GetProperty("key").GetString() })).GetProperty("access_token").GetString()!;
        await b.GetJsonAsync("/api/v1/me", token);
        using (await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/channel/api-keys/{key.GetProperty("id").GetString()}", null, token))
        {
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var r = await b.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, token);
            if (r.StatusCode == HttpStatusCode.Unauthorized)
            {
                await ProblemAssert.IsAsync(r, 401, IdentityErrors.TokenRevoked);
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "node B never learned of the revocation");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Missing_malformed_forged_expired_and_unknown_key_tokens_are_refused_with_their_codes()
    {
        await using var service = await TestService.StartAsync(backend);
        var (token, _) = await service.ApplicantAsync();
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null), 401, IdentityErrors.TokenMissing);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, "not-a-token"), 401, IdentityErrors.TokenMalformed);

        using (var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
            await ProblemAssert.IsAsync(await service.Http.SendAsync(basic, Ct), 401, IdentityErrors.TokenMalformed);
        }

        // Forged: the payload changed to an operator with every role, the signature left as it was.
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        var forgedPayload = payload.Replace("\"knd\":\"applicant\"", "\"knd\":\"operator\",\"rol\":[\"issuer_admin\"]", StringComparison.Ordinal);
        Assert.NotEqual(payload, forgedPayload);
        var forged = parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(forgedPayload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, forged), 401, IdentityErrors.TokenSignatureInvalid);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channels", null, forged), 401, IdentityErrors.TokenSignatureInvalid);

        // Expired: minted with the service's own key by a clock an hour behind.
        var past = new ManualClock(DateTimeOffset.UtcNow.AddHours(-1));
        var old = new AccessTokens(service.Service<TokenKeyRing>(), service.Service<IdentityOptions>(), past)
            .Issue(new Principal(7, PrincipalKind.Applicant, Core.Channels.Channel.DirectId, []));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, old.Token), 401, IdentityErrors.TokenExpired);

        // Signed by a key this service does not have.
        var otherRing = new TokenKeyRing(new FixedKeys(), new IdentityOptions(), SystemClock.Instance, Microsoft.Extensions.Logging.Abstractions.NullLogger<TokenKeyRing>.Instance);
        await otherRing.LoadAsync(Ct);
        var alien = new AccessTokens(otherRing, new IdentityOptions(), SystemClock.Instance).Issue(new Principal(7, PrincipalKind.Applicant, 1, []));
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/me", null, alien.Token), 401, IdentityErrors.TokenKeyUnknown);
    }

    [Fact]
    public async Task Each_kind_and_role_reaches_only_its_endpoints()
    {
        await using var service = await TestService.StartAsync(backend);
        var admin = await service.OperatorTokenAsync(OperatorRole.IssuerAdmin);
        var auditor = await service.OperatorTokenAsync(OperatorRole.Auditor);
        var (applicant, _) = await service.ApplicantAsync();
        var newChannel = new { code = "loket-" + Guid.NewGuid().ToString("N")[..8], name = "Loket", service_fee = 100 };

        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", newChannel, auditor), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", newChannel, applicant), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channels", null, applicant), 403, IdentityErrors.Forbidden);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channel/api-keys", null, admin), 403, IdentityErrors.Forbidden);
        var created = await service.PostJsonAsync("/api/v1/channels", newChannel, admin);
        // The auditor reads what the admin made.
        var listed = await service.GetJsonAsync("/api/v1/channels", auditor);
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetString() == created.GetProperty("id").GetString());
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Patch, $"/api/v1/channels/{created.GetProperty("id").GetString()}", new { service_fee = 5 }, auditor),
            403, IdentityErrors.Forbidden);
        // The same request again is a replay; the same code with another name is taken.
        Assert.Equal(created.GetProperty("id").GetString(), (await service.PostJsonAsync("/api/v1/channels", newChannel, admin)).GetProperty("id").GetString());
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", new { newChannel.code, name = "Lain", service_fee = 100 }, admin),
            409, IdentityErrors.ChannelCodeTaken);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Get, "/api/v1/channels/" + PublicId.Format(99), null, auditor), 404, IdentityErrors.ChannelNotFound);
    }

    [Fact]
    public async Task Operator_login_refuses_wrong_passwords_alike()
    {
        await using var service = await TestService.StartAsync(backend);
        await service.OperatorTokenAsync(OperatorRole.Auditor);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email = "nobody@meterai.id", password = "operator-password-1" }),
            401, IdentityErrors.InvalidCredentials);
        await ProblemAssert.IsAsync(await service.SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email = "x", password = "" }),
            401, IdentityErrors.InvalidCredentials);
    }

    private static string Pad(string s) => s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');

    private sealed class FixedKeys : ITokenSigningKeyStore
    {
        private readonly TokenSigningKey _key = new("alien1", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch);

        public Task<IReadOnlyList<TokenSigningKey>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<TokenSigningKey>>([_key]);

        public Task<Result<TokenSigningKey>> AddAsync(TokenSigningKey key, CancellationToken cancellationToken = default) => Task.FromResult(Result<TokenSigningKey>.Ok(key));
    }
}

public sealed class SqliteIdentityApiTests(SqliteBackend backend) : IdentityApiContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresIdentityApiTests(PostgresBackend backend) : IdentityApiContract(backend), IClassFixture<PostgresBackend>;
