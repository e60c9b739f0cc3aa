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

    private static (PendingRegistration Registration, CodeChallenge Challenge) Registration(ContactAddress contact, string hash, DateTimeOffset at)
    {
        var registration = new PendingRegistration(LedgerId.New(), contact, hash, at, at + OneTimeCode.DefaultLifetime);
        return (registration, OneTimeCode.NewChallenge(LedgerId.New(), registration.Id, CodePurpose.Registration, "123456", at));
    }

    [Fact]
    public async Task Each_registration_keeps_its_own_password_and_the_first_confirmed_becomes_the_applicant()
    {
        await using var db = await backend.OpenAsync();
        var contact = UniqueEmail();
        var (first, firstChallenge) = Registration(contact, "hash-1", T0);
        var (second, secondChallenge) = Registration(contact, "hash-2", T0.AddMinutes(1));
        Assert.False(await db.Applicants.BeginRegistrationAsync(first, firstChallenge, Ct));
        Assert.False(await db.Applicants.BeginRegistrationAsync(second, secondChallenge, Ct));
        Assert.Null(await db.Applicants.FindByContactAsync(contact, Ct)); // no account before a code is confirmed
        Assert.Equal(first.Id, (await db.CodeChallenges.GetAsync(firstChallenge.Id, Ct))!.ApplicantId);

        var confirmed = await db.Applicants.ConfirmRegistrationAsync(firstChallenge.Id, first.Id, T0.AddMinutes(2), Ct);
        Assert.True(confirmed.IsOk, confirmed.Error?.ToString());
        Assert.Equal((first.Id, ApplicantStatus.Active, "hash-1", Channel.DirectId, T0.AddMinutes(2)),
            (confirmed.Value.Id, confirmed.Value.Status, confirmed.Value.PasswordHash, confirmed.Value.ChannelId, confirmed.Value.VerifiedAt));
        Assert.Equal(confirmed.Value, await db.Applicants.GetAsync(first.Id, Ct));

        // The same code again, and the other registration's own code: neither changes the account.
        Assert.Equal(IdentityErrors.CodeAlreadyUsed, (await db.Applicants.ConfirmRegistrationAsync(firstChallenge.Id, first.Id, T0.AddMinutes(3), Ct)).Error?.Code);
        Assert.Equal(IdentityErrors.ContactAlreadyRegistered, (await db.Applicants.ConfirmRegistrationAsync(secondChallenge.Id, second.Id, T0.AddMinutes(3), Ct)).Error?.Code);
        Assert.Equal("hash-1", (await db.Applicants.FindByContactAsync(contact, Ct))!.PasswordHash);

        // Registering the address now says it has an account, and changes nothing.
        var (third, thirdChallenge) = Registration(contact, "hash-3", T0.AddMinutes(4));
        Assert.True(await db.Applicants.BeginRegistrationAsync(third, thirdChallenge, Ct));
        Assert.Equal(IdentityErrors.ContactAlreadyRegistered, (await db.Applicants.ConfirmRegistrationAsync(thirdChallenge.Id, third.Id, T0.AddMinutes(5), Ct)).Error?.Code);
        Assert.Equal("hash-1", (await db.Applicants.FindByContactAsync(contact, Ct))!.PasswordHash);
    }

    [Fact]
    public async Task A_registration_gone_by_housekeeping_cannot_be_confirmed_and_expired_rows_are_purged()
    {
        await using var db = await backend.OpenAsync();
        var (registration, challenge) = Registration(UniqueEmail(), "hash", T0);
        await db.Applicants.BeginRegistrationAsync(registration, challenge, Ct);
        Assert.True(await db.Applicants.PurgeRegistrationsAsync(registration.ExpiresAt.AddTicks(10), Ct) >= 1);
        Assert.True(await db.CodeChallenges.PurgeAsync(challenge.ExpiresAt.AddTicks(10), Ct) >= 1);
        Assert.Null(await db.CodeChallenges.GetAsync(challenge.Id, Ct));

        var (kept, keptChallenge) = Registration(UniqueEmail(), "hash", T0);
        await db.Applicants.BeginRegistrationAsync(kept, keptChallenge, Ct);
        await db.Applicants.PurgeRegistrationsAsync(T0, Ct);
        Assert.True((await db.Applicants.ConfirmRegistrationAsync(keptChallenge.Id, kept.Id, T0, Ct)).IsOk);
        var (gone, goneChallenge) = Registration(UniqueEmail(), "hash", T0);
        await db.Applicants.BeginRegistrationAsync(gone, goneChallenge, Ct);
        await db.Applicants.PurgeRegistrationsAsync(gone.ExpiresAt.AddMinutes(1), Ct);
        Assert.Equal(IdentityErrors.ChallengeNotFound, (await db.Applicants.ConfirmRegistrationAsync(goneChallenge.Id, gone.Id, T0, Ct)).Error?.Code);
    }

    [Fact]
    public async Task Two_nodes_confirming_two_registrations_of_one_address_at_once_make_one_applicant()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var contact = ContactAddress.ParsePhone("0812-3456-" + RandomNumberGenerator.GetInt32(1000, 9999)).Value;
        var attempts = Enumerable.Range(0, 8).Select(i => Registration(contact, $"hash-{i}", T0)).ToList();
        foreach (var (r, c) in attempts) await a.Applicants.BeginRegistrationAsync(r, c, Ct);
        var results = await Task.WhenAll(attempts.Select((x, i) => (i % 2 == 0 ? a : b).Applicants.ConfirmRegistrationAsync(x.Challenge.Id, x.Registration.Id, T0, Ct)));
        var winner = Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(IdentityErrors.ContactAlreadyRegistered, r.Error!.Code));
        var stored = await b.Applicants.FindByContactAsync(contact, Ct);
        Assert.Equal((winner.Value.Id, winner.Value.PasswordHash), (stored!.Id, stored.PasswordHash));
    }

    [Fact]
    public async Task An_applicant_pending_from_before_registrations_takes_the_password_of_the_first_registration_confirmed()
    {
        await using var db = await backend.OpenAsync();
        var contact = UniqueEmail();
        // As migration 0110 found them: a pending applicant whose password anyone re-registering could replace.
        var reference = "legacy-" + Guid.NewGuid().ToString("N");
        await db.Applicants.CreateForChannelAsync(LedgerId.New(), Channel.DirectId, reference, T0, Ct);
        Assert.Equal(1, await backend.ExecuteRawAsync(
            $"UPDATE applicants SET external_ref = NULL, email = '{contact.Value}', password_hash = 'stranger', status = 1, verified_at = NULL WHERE external_ref = '{reference}'"));
        var pending = await db.Applicants.FindByContactAsync(contact, Ct);
        Assert.Equal(ApplicantStatus.PendingVerification, pending!.Status);

        var (registration, challenge) = Registration(contact, "owner", T0);
        Assert.False(await db.Applicants.BeginRegistrationAsync(registration, challenge, Ct)); // pending is not an account
        var confirmed = await db.Applicants.ConfirmRegistrationAsync(challenge.Id, registration.Id, T0, Ct);
        Assert.True(confirmed.IsOk, confirmed.Error?.ToString());
        Assert.Equal((pending.Id, ApplicantStatus.Active, "owner"), (confirmed.Value.Id, confirmed.Value.Status, confirmed.Value.PasswordHash));
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
        var (registration, registrationChallenge) = Registration(UniqueEmail(), "h", T0);
        await db.Applicants.BeginRegistrationAsync(registration, registrationChallenge, Ct);
        var applicant = (await db.Applicants.ConfirmRegistrationAsync(registrationChallenge.Id, registration.Id, T0, Ct)).Value;
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
    public async Task Of_login_attempts_racing_on_two_nodes_one_starts_and_a_failure_makes_the_client_wait()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var account = LoginThrottlePolicy.AccountKeyFor("operator", Guid.NewGuid().ToString());
        var key = LoginThrottlePolicy.KeyFor("operator", "x", Guid.NewGuid().ToString());
        var hold = TimeSpan.FromSeconds(10);
        var memory = TimeSpan.FromDays(1);

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).LoginThrottle.BeginAsync(key, account, T0, hold, memory, Ct)));
        var started = Assert.Single(racing, r => r.Allowed);
        Assert.Equal(0, started.Failures);
        Assert.All(racing.Where(r => !r.Allowed), r => Assert.True(r.NotBefore > T0));

        // A failure with a delay: refused until it passes, then the count carries on.
        await a.LoginThrottle.RecordFailureAsync(key, 4, T0.AddSeconds(30), T0, Ct);
        var waiting = await b.LoginThrottle.BeginAsync(key, account, T0.AddSeconds(29), hold, memory, Ct);
        Assert.Equal((false, T0.AddSeconds(30)), (waiting.Allowed, waiting.NotBefore));
        var next = await b.LoginThrottle.BeginAsync(key, account, T0.AddSeconds(30), hold, memory, Ct);
        Assert.Equal((true, 4), (next.Allowed, next.Failures));

        // Long enough without an attempt, the failures are forgotten.
        await a.LoginThrottle.RecordFailureAsync(key, 5, T0.AddSeconds(31), T0.AddSeconds(31), Ct);
        Assert.Equal((true, 0), ((await a.LoginThrottle.BeginAsync(key, account, T0.AddDays(2), hold, memory, Ct)) is var f ? (f.Allowed, f.Failures) : default));
        await a.LoginThrottle.ClearAsync(key, Ct);
        Assert.Equal((true, 0), ((await a.LoginThrottle.BeginAsync(key, account, T0.AddDays(2), hold, memory, Ct)) is var g ? (g.Allowed, g.Failures) : default));
    }

    [Fact]
    public async Task An_unlock_clears_every_clients_row_of_one_account_only()
    {
        await using var db = await backend.OpenAsync();
        var id = Guid.NewGuid().ToString();
        var account = LoginThrottlePolicy.AccountKeyFor("operator", id);
        var other = LoginThrottlePolicy.AccountKeyFor("operator", Guid.NewGuid().ToString());
        foreach (var client in new[] { "203.0.113.7", "198.51.100.9" })
        {
            var key = LoginThrottlePolicy.KeyFor("operator", id, client);
            await db.LoginThrottle.BeginAsync(key, account, T0, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), Ct);
            await db.LoginThrottle.RecordFailureAsync(key, 9, T0.AddMinutes(15), T0, Ct);
        }

        var otherKey = LoginThrottlePolicy.KeyFor("operator", "someone-else", "203.0.113.7");
        await db.LoginThrottle.BeginAsync(otherKey, other, T0, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), Ct);
        Assert.Equal(2, await db.LoginThrottle.ClearAccountAsync(account, Ct));
        Assert.True((await db.LoginThrottle.BeginAsync(LoginThrottlePolicy.KeyFor("operator", id, "203.0.113.7"), account, T0, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), Ct)).Allowed);
        Assert.False((await db.LoginThrottle.BeginAsync(otherKey, other, T0, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), Ct)).Allowed); // still held
        Assert.Equal(0, await db.LoginThrottle.ClearAccountAsync(LoginThrottlePolicy.AccountKeyFor("operator", "nobody"), Ct));
    }

    [Fact]
    public async Task Window_counters_count_every_key_across_nodes_and_restart_after_the_window()
    {
        await using var a = await backend.OpenAsync();
        await using var b = await backend.OpenAsync();
        var x = RandomNumberGenerator.GetBytes(32);
        var y = RandomNumberGenerator.GetBytes(32);
        var window = TimeSpan.FromHours(1);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).WindowCounters.CountAsync([x, y], T0.AddSeconds(i), window, Ct)));
        var counts = await a.WindowCounters.CountAsync([y, x], T0.AddMinutes(1), window, Ct);
        Assert.Equal([11, 11], counts.Select(c => c.Events));
        Assert.All(counts, c => Assert.True(c.WindowStart < T0.AddSeconds(10)));

        var later = await b.WindowCounters.CountAsync([x], T0.AddHours(2), window, Ct);
        Assert.Equal((1, T0.AddHours(2)), (later[0].Events, later[0].WindowStart));
        Assert.True(await a.WindowCounters.PurgeAsync(T0.AddHours(1), Ct) >= 1); // y's window began at T0
        Assert.Equal(1, (await a.WindowCounters.CountAsync([y], T0.AddHours(2), window, Ct))[0].Events);
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

        // Disabling keeps its first time; enabling clears it; a missing operator answers null.
        Assert.Equal(T0.AddHours(1), (await db.Operators.SetDisabledAsync(op.Id, T0.AddHours(1), Ct))!.DisabledAt);
        Assert.Equal(T0.AddHours(1), (await db.Operators.SetDisabledAsync(op.Id, T0.AddHours(2), Ct))!.DisabledAt);
        Assert.True((await db.Operators.FindByEmailAsync(email, Ct))!.IsDisabled);
        Assert.False((await db.Operators.SetDisabledAsync(op.Id, null, Ct))!.IsDisabled);
        Assert.Null(await db.Operators.SetDisabledAsync(LedgerId.New(), T0, Ct));
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
