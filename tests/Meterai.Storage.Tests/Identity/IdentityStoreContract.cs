using System.Security.Cryptography;
using Meterai.Core.Channels;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.TestSupport;

namespace Meterai.Storage.Tests.Identity;

/// <summary>What the identity stores (applicants, operators, code challenges, login throttle, token keys) do on both backends.</summary>
public abstract class IdentityStoreContract(DatabaseBackend backend)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2024, 9, 2, 8, 0, 0, TimeSpan.Zero);

    private static ContactAddress UniqueEmail() => ContactAddress.ParseEmail($"pelamar.{Guid.NewGuid():N}@contoh.id").Value;

    [Fact]
    public async Task A_pending_registration_can_be_repeated_with_a_new_password_but_an_active_one_cannot()
    {
        await using var db = await backend.OpenAsync();
        var contact = UniqueEmail();
        var first = await db.Applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(), contact, "hash-1", T0), Ct);
        Assert.True(first.IsOk, first.Error?.ToString());
        Assert.Equal((ApplicantStatus.PendingVerification, Channel.DirectId, contact.Value), (first.Value.Status, first.Value.ChannelId, first.Value.Email));

        var again = await db.Applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(), contact, "hash-2", T0.AddMinutes(1)), Ct);
        Assert.Equal(first.Value.Id, again.Value.Id);
        Assert.Equal("hash-2", (await db.Applicants.GetAsync(first.Value.Id, Ct))!.PasswordHash);

        var active = await db.Applicants.ActivateAsync(first.Value.Id, T0.AddMinutes(2), Ct);
        Assert.Equal((ApplicantStatus.Active, T0.AddMinutes(2)), (active.Value.Status, active.Value.VerifiedAt));
        Assert.Equal(T0.AddMinutes(2), (await db.Applicants.ActivateAsync(first.Value.Id, T0.AddMinutes(9), Ct)).Value.VerifiedAt);

        var taken = await db.Applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(), contact, "hash-3", T0), Ct);
        Assert.Equal(IdentityErrors.ContactAlreadyRegistered, taken.Error?.Code);
        Assert.Equal("hash-2", (await db.Applicants.FindByContactAsync(contact, Ct))!.PasswordHash);
        Assert.Equal(IdentityErrors.ApplicantNotFound, (await db.Applicants.ActivateAsync(LedgerId.New(), T0, Ct)).Error?.Code);
    }

    [Fact]
    public async Task Two_nodes_registering_one_address_at_once_make_one_applicant()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var contact = ContactAddress.ParsePhone("0812-3456-" + RandomNumberGenerator.GetInt32(1000, 9999)).Value;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? a : b).Applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(), contact, $"hash-{i}", T0), Ct)));
        Assert.All(results, r => Assert.True(r.IsOk, r.Error?.ToString()));
        Assert.Single(results.Select(r => r.Value.Id).Distinct());
        Assert.Equal(contact.Value, (await a.Applicants.FindByContactAsync(contact, Ct))!.Phone);
    }

    [Fact]
    public async Task A_channel_applicant_is_created_once_per_reference_and_listed_in_id_order()
    {
        await using var db = await backend.OpenAsync();
        var channel = (await db.Channels.CreateAsync(new Channel(LedgerId.New(), "ch-" + Guid.NewGuid().ToString("N")[..8], "Loket", 1500, ChannelStatus.Active, T0), Ct)).Value;
        var x = await db.Applicants.CreateForChannelAsync(LedgerId.New(), channel.Id, "cust-1", T0, Ct);
        var again = await db.Applicants.CreateForChannelAsync(LedgerId.New(), channel.Id, "cust-1", T0.AddHours(1), Ct);
        Assert.Equal((x.Id, x.CreatedAt), (again.Id, again.CreatedAt));
        Assert.Equal((ApplicantStatus.Active, "cust-1", (string?)null), (x.Status, x.ExternalRef, x.PasswordHash));
        var y = await db.Applicants.CreateForChannelAsync(LedgerId.New(), channel.Id, "cust-2", T0, Ct);

        var all = await db.Applicants.ListByChannelAsync(channel.Id, 0, 10, Ct);
        Assert.Equal(new[] { x.Id, y.Id }.Order(), all.Select(a => a.Id));
        Assert.Equal([all[1].Id], (await db.Applicants.ListByChannelAsync(channel.Id, all[0].Id, 10, Ct)).Select(a => a.Id));
        Assert.Empty(await db.Applicants.ListByChannelAsync(Channel.DirectId, all[1].Id, 10, Ct));
    }

    [Fact]
    public async Task A_code_challenge_counts_attempts_up_to_its_limit_even_in_parallel_and_is_consumed_once()
    {
        await using var db = await backend.OpenAsync();
        var applicant = (await db.Applicants.RegisterAsync(new ApplicantRegistration(LedgerId.New(), UniqueEmail(), "h", T0), Ct)).Value;
        var challenge = OneTimeCode.NewChallenge(LedgerId.New(), applicant.Id, CodePurpose.Login, "123456", T0, maxAttempts: 3);
        await db.CodeChallenges.CreateAsync(challenge, Ct);
        var stored = await db.CodeChallenges.GetAsync(challenge.Id, Ct);
        Assert.NotNull(stored);
        Assert.True(OneTimeCode.Matches(stored, "123456"));
        Assert.False(OneTimeCode.Matches(stored, "123457"));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => db.CodeChallenges.CountAttemptAsync(challenge.Id, T0.AddMinutes(1), Ct)));
        Assert.Equal(3, attempts.Count(a => a.IsOk));
        Assert.All(attempts.Where(a => !a.IsOk), a => Assert.Equal(IdentityErrors.CodeAttemptsExhausted, a.Error!.Code));
        Assert.Equal(3, (await db.CodeChallenges.GetAsync(challenge.Id, Ct))!.Attempts);

        var fresh = OneTimeCode.NewChallenge(LedgerId.New(), applicant.Id, CodePurpose.Registration, "000001", T0);
        await db.CodeChallenges.CreateAsync(fresh, Ct);
        Assert.Equal(IdentityErrors.CodeExpired, (await db.CodeChallenges.CountAttemptAsync(fresh.Id, fresh.ExpiresAt, Ct)).Error?.Code);
        Assert.True((await db.CodeChallenges.CountAttemptAsync(fresh.Id, T0, Ct)).IsOk);
        var consumed = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => db.CodeChallenges.ConsumeAsync(fresh.Id, T0, Ct)));
        Assert.Single(consumed, c => c);
        Assert.Equal(IdentityErrors.CodeAlreadyUsed, (await db.CodeChallenges.CountAttemptAsync(fresh.Id, T0, Ct)).Error?.Code);
        Assert.Equal(IdentityErrors.ChallengeNotFound, (await db.CodeChallenges.CountAttemptAsync(LedgerId.New(), T0, Ct)).Error?.Code);
    }

    [Fact]
    public async Task Failed_logins_are_counted_per_window_across_nodes_and_cleared()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var key = LoginThrottlePolicy.KeyFor("applicant", Guid.NewGuid().ToString());
        var window = TimeSpan.FromMinutes(15);
        Assert.Null(await a.LoginThrottle.GetAsync(key, Ct));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).LoginThrottle.RecordFailureAsync(key, T0.AddSeconds(i), window, Ct)));
        var failures = await b.LoginThrottle.GetAsync(key, Ct);
        Assert.Equal(6, failures!.Count);
        Assert.True(failures.WindowStart < T0.AddSeconds(6));
        Assert.NotNull(LoginThrottlePolicy.Default.LockedFor(failures, T0.AddMinutes(1)));
        Assert.Null(LoginThrottlePolicy.Default.LockedFor(failures, failures.WindowStart + window));

        // After the window a failure starts a new one.
        var later = await a.LoginThrottle.RecordFailureAsync(key, T0.AddMinutes(20), window, Ct);
        Assert.Equal((1, T0.AddMinutes(20)), (later.Count, later.WindowStart));
        await a.LoginThrottle.ClearAsync(key, Ct);
        Assert.Null(await b.LoginThrottle.GetAsync(key, Ct));
    }

    [Fact]
    public async Task Operators_have_unique_emails_and_keep_their_roles()
    {
        await using var db = await backend.OpenAsync();
        var email = $"admin.{Guid.NewGuid():N}@meterai.id";
        var op = new Operator(LedgerId.New(), email, "hash", [OperatorRole.IssuerAdmin, OperatorRole.Auditor], T0, null);
        var before = await db.Operators.CountAsync(Ct);
        Assert.True((await db.Operators.CreateAsync(op, Ct)).IsOk);
        Assert.Equal(IdentityErrors.OperatorExists, (await db.Operators.CreateAsync(op with { Id = LedgerId.New() }, Ct)).Error?.Code);
        Assert.Equal(before + 1, await db.Operators.CountAsync(Ct));
        var found = await db.Operators.FindByEmailAsync(email, Ct);
        Assert.Equal((op.Id, T0), (found!.Id, found.CreatedAt));
        Assert.Equal(op.Roles, found.Roles);
        await db.Operators.SetPasswordHashAsync(op.Id, "stronger", Ct);
        Assert.Equal("stronger", (await db.Operators.GetAsync(op.Id, Ct))!.PasswordHash);
    }

    [Fact]
    public async Task Token_signing_keys_are_added_once_per_id_and_listed_oldest_first()
    {
        await using var db = await backend.OpenAsync();
        var id = "t" + RandomNumberGenerator.GetInt32(1_000_000);
        var key = new TokenSigningKey(id, RandomNumberGenerator.GetBytes(32), T0);
        Assert.True((await db.TokenSigningKeys.AddAsync(key, Ct)).IsOk);
        Assert.Equal(IdentityErrors.SigningKeyExists, (await db.TokenSigningKeys.AddAsync(key with { Secret = RandomNumberGenerator.GetBytes(32) }, Ct)).Error?.Code);
        var listed = (await db.TokenSigningKeys.ListAsync(Ct)).Single(k => k.KeyId == id);
        Assert.Equal(key.Secret, listed.Secret);
    }

    [Fact]
    public async Task A_stored_secret_is_replaced_only_while_it_still_is_what_the_caller_read()
    {
        await using var db = await backend.OpenAsync();
        var id = "r" + RandomNumberGenerator.GetInt32(1_000_000);
        var plain = RandomNumberGenerator.GetBytes(32);
        Assert.True((await db.TokenSigningKeys.AddAsync(new TokenSigningKey(id, plain, T0), Ct)).IsOk);
        var sealedOnce = RandomNumberGenerator.GetBytes(66);
        Assert.True(await db.TokenSigningKeys.ReplaceSecretAsync(id, plain, sealedOnce, Ct));
        // A second node that read the plaintext before the first sealed it loses the race and changes nothing.
        Assert.False(await db.TokenSigningKeys.ReplaceSecretAsync(id, plain, RandomNumberGenerator.GetBytes(66), Ct));
        Assert.Equal(sealedOnce, (await db.TokenSigningKeys.ListAsync(Ct)).Single(k => k.KeyId == id).Secret);
    }
}

public sealed class SqliteIdentityStoreTests(SqliteBackend backend) : IdentityStoreContract(backend), IClassFixture<SqliteBackend>;

public sealed class PostgresIdentityStoreTests(PostgresBackend backend) : IdentityStoreContract(backend), IClassFixture<PostgresBackend>;
