using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Core.Tests;

public class IdentityRulesTests
{
    [Fact]
    public void Passwords_verify_only_with_the_right_password_and_report_a_changed_work_factor()
    {
        var hasher = new PasswordHasher(2_000);
        var hash = hasher.Hash("sangat-rahasia-123");
        Assert.StartsWith("pbkdf2-sha256$2000$", hash, StringComparison.Ordinal);
        Assert.True(hasher.Verify("sangat-rahasia-123", hash));
        Assert.False(hasher.Verify("sangat-rahasia-124", hash));
        Assert.False(hasher.Verify("sangat-rahasia-123", null));
        Assert.False(hasher.Verify("sangat-rahasia-123", "garbage"));
        Assert.NotEqual(hash, hasher.Hash("sangat-rahasia-123")); // salted
        Assert.False(hasher.NeedsRehash(hash));
        Assert.True(new PasswordHasher(3_000).NeedsRehash(hash));
        Assert.True(new PasswordHasher(3_000).Verify("sangat-rahasia-123", hash)); // the stored parameters are used
        Assert.NotNull(PasswordHasher.Weakness("short"));
        Assert.Null(PasswordHasher.Weakness("panjang sekali"));
    }

    [Theory]
    [InlineData(" Budi.Santoso@Contoh.ID ", ContactKind.Email, "budi.santoso@contoh.id")]
    [InlineData("0812-3456-7890", ContactKind.Phone, "+6281234567890")]
    [InlineData("+62 812 3456 7890", ContactKind.Phone, "+6281234567890")]
    [InlineData("6281234567890", ContactKind.Phone, "+6281234567890")]
    public void Contact_addresses_are_normalised(string typed, ContactKind kind, string value)
    {
        var parsed = ContactAddress.Parse(typed);
        Assert.True(parsed.IsOk, parsed.Error?.ToString());
        Assert.Equal(new ContactAddress(kind, value), parsed.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("budi@")]
    [InlineData("budi@localhost")]
    [InlineData("021-555-1234")]
    [InlineData("+1 415 555 0100")]
    [InlineData("08x2")]
    public void Bad_contact_addresses_are_refused_with_a_code(string typed) =>
        Assert.Equal(IdentityErrors.ContactInvalid, ContactAddress.Parse(typed).Error?.Code);

    [Fact]
    public void Contact_masks_hide_the_middle()
    {
        Assert.Equal("b****@contoh.id", ContactAddress.Parse("budi1@contoh.id").Value.Masked());
        Assert.Equal("+6281******890", ContactAddress.Parse("081234567890").Value.Masked());
    }

    [Fact]
    public void One_time_codes_are_six_digits_and_refuse_when_used_expired_or_exhausted()
    {
        var now = DateTimeOffset.UnixEpoch;
        var code = OneTimeCode.NewCode();
        Assert.True(OneTimeCode.IsWellFormed(code));
        var c = OneTimeCode.NewChallenge(7, 9, CodePurpose.Login, code, now);
        Assert.True(OneTimeCode.Matches(c, code));
        Assert.False(OneTimeCode.Matches(c, "12345"));
        Assert.NotEqual(OneTimeCode.HashCode(7, code), OneTimeCode.HashCode(8, code));
        Assert.Null(OneTimeCode.RefuseAttempt(c, now));
        Assert.Equal(IdentityErrors.CodeExpired, OneTimeCode.RefuseAttempt(c, now + OneTimeCode.DefaultLifetime)?.Code);
        Assert.Equal(IdentityErrors.CodeAttemptsExhausted, OneTimeCode.RefuseAttempt(c with { Attempts = c.MaxAttempts }, now)?.Code);
        Assert.Equal(IdentityErrors.CodeAlreadyUsed, OneTimeCode.RefuseAttempt(c with { ConsumedAt = now }, now)?.Code);
    }

    [Fact]
    public void Api_keys_carry_their_prefix_and_only_the_full_key_matches_its_hash()
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();
        Assert.Equal(prefix, ApiKeySecret.PrefixOf(key));
        Assert.True(ApiKeySecret.Matches(key, hash));
        Assert.False(ApiKeySecret.Matches(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), hash));
        Assert.Null(ApiKeySecret.PrefixOf("mtr_short"));
        Assert.Null(ApiKeySecret.PrefixOf(key.Replace("mtr_", "xyz_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Public_ids_round_trip_and_refuse_zero_and_garbage()
    {
        UInt128 id = UInt128.MaxValue - 12345;
        var text = PublicId.Format(id);
        Assert.Equal(36, text.Length);
        Assert.True(PublicId.TryParse(text, out var back));
        Assert.Equal(id, back);
        Assert.Equal("00000000-0000-0000-0000-000000000001", PublicId.Format(Channel.DirectId));
        Assert.False(PublicId.TryParse("00000000-0000-0000-0000-000000000000", out _));
        Assert.False(PublicId.TryParse("not-an-id", out _));
    }

    [Fact]
    public void Channel_price_is_the_duty_plus_the_fee_and_codes_are_checked()
    {
        Assert.Equal(12_000, new Channel(5, "loket", "Loket", 2_000, ChannelStatus.Active, DateTimeOffset.UnixEpoch).PricePerStamp);
        Assert.Null(Channel.ValidateCode("loket-jaya-01"));
        Assert.NotNull(Channel.ValidateCode("Loket"));
        Assert.NotNull(Channel.ValidateCode("-ab"));
        Assert.NotNull(Channel.ValidateServiceFee(-1));
    }

    [Fact]
    public void Login_delays_are_free_at_first_then_double_up_to_the_cap_and_keys_keep_clients_and_accounts_apart()
    {
        var policy = new LoginThrottlePolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15), TimeSpan.FromDays(1));
        Assert.Equal([0, 0, 0, 0, 1, 2, 4, 8], Enumerable.Range(0, 8).Select(n => policy.DelayAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(15), policy.DelayAfter(14));
        Assert.Equal(TimeSpan.FromMinutes(15), policy.DelayAfter(int.MaxValue));
        Assert.NotEqual(LoginThrottlePolicy.KeyFor("operator", "a@b.id", "203.0.113.7"), LoginThrottlePolicy.KeyFor("operator", "a@b.id", "198.51.100.9"));
        Assert.NotEqual(LoginThrottlePolicy.KeyFor("operator", "a@b.id", "x"), LoginThrottlePolicy.KeyFor("applicant", "a@b.id", "x"));
        Assert.Equal(LoginThrottlePolicy.AccountKeyFor("operator", "a@b.id"), LoginThrottlePolicy.AccountKeyFor("operator", "a@b.id"));
    }

    [Fact]
    public void Code_limits_refuse_over_either_bound_until_that_window_ends()
    {
        var policy = new CodeLimitPolicy(2, 5, TimeSpan.FromHours(1));
        var t0 = DateTimeOffset.UnixEpoch;
        Assert.Null(policy.RefusedFor(new WindowCount(2, t0), new WindowCount(5, t0), t0.AddMinutes(10)));
        Assert.Equal(TimeSpan.FromMinutes(50), policy.RefusedFor(new WindowCount(3, t0), new WindowCount(1, t0), t0.AddMinutes(10)));
        Assert.Equal(TimeSpan.FromMinutes(55), policy.RefusedFor(new WindowCount(3, t0), new WindowCount(6, t0.AddMinutes(5)), t0.AddMinutes(10)));
        var address = ContactAddress.Parse("budi@contoh.id").Value;
        Assert.NotEqual(policy.AddressKey(CodePurpose.Registration, address), policy.AddressKey(CodePurpose.Login, address));
        Assert.NotEqual(policy.ClientKey("203.0.113.7"), policy.AddressKey(CodePurpose.Login, address));
    }
}
