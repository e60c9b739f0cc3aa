using Meterai.Cli.Commands;
using Meterai.Core.Identity;
using Meterai.TestSupport;

namespace Meterai.Cli.Tests;

/// <summary>`meterai operator add` and `meterai token-key`: what an operator types to bootstrap a service.</summary>
public sealed class OperatorCommandTests : IAsyncDisposable
{
    private readonly SqliteBackend _backend = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    private async Task<string[]> DbArgsAsync() => ["--db", "sqlite", "--data-dir", (await _backend.OptionsAsync()).DataDirectory];

    [Fact]
    public async Task Adding_an_operator_prints_a_password_that_logs_in_and_the_same_email_is_refused_afterwards()
    {
        var run = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "add", "--email", "Admin@Meterai.ID", "--role", "issuer_admin", "--role", "auditor",
            "--password-iterations", "5000", .. await DbArgsAsync()]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var password = run.Output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();
        Assert.Equal(24, password.Length);

        await using (var db = await _backend.OpenAsync())
        {
            var access = new OperatorAccess(db.Operators, db.LoginThrottle, new PasswordHasher(5000), new IdentitySettings(), Core.Common.SystemClock.Instance);
            var op = (await access.LoginAsync("admin@meterai.id", password, "cli-test", Ct)).Result;
            Assert.True(op.IsOk, op.Error?.ToString());
            Assert.Equal([OperatorRole.Auditor, OperatorRole.IssuerAdmin], op.Value.Roles);
        }

        var again = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "add", "--email", "admin@meterai.id", "--role", "auditor", .. await DbArgsAsync()]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains(IdentityErrors.OperatorExists, again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--email", "not-an-email", "--role", "auditor", "contact_invalid")]
    [InlineData("--email", "x@meterai.id", "--role", "superuser", "role_unknown")]
    public async Task Bad_input_exits_1_with_its_code(string o1, string v1, string o2, string v2, string code)
    {
        var run = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "add", o1, v1, o2, v2, .. await DbArgsAsync()]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(code, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_forgets_every_clients_failed_logins_so_the_right_password_works_at_once()
    {
        var (email, password) = await OperatorAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using (var db = await _backend.OpenAsync())
        {
            var access = Access(db, clock);
            // Failures from two places: both clients must wait now, the owner's right password too.
            foreach (var client in new[] { "203.0.113.7", "198.51.100.9" })
            {
                for (var i = 0; i < 5; i++) await access.LoginAsync(email, "tebakan-salah", client, Ct);
                Assert.Equal(IdentityErrors.TooManyAttempts, (await access.LoginAsync(email, password, client, Ct)).Result.Error?.Code);
            }
        }

        var run = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "unlock", "--email", email.ToUpperInvariant(), .. await DbArgsAsync()]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("unlocked (forgot the failed logins of 2 clients)", run.Output, StringComparison.Ordinal);
        await using (var db = await _backend.OpenAsync())
        {
            var login = await Access(db, clock).LoginAsync(email, password, "198.51.100.9", Ct);
            Assert.True(login.Result.IsOk, login.Result.Error?.ToString());
        }

        var again = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "unlock", "--email", email, .. await DbArgsAsync()]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to unlock", again.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "exactly one account")]
    [InlineData(2, "exactly one account", "--email", "a@meterai.id", "--applicant", "budi@contoh.id")]
    [InlineData(1, IdentityErrors.OperatorNotFound, "--email", "nobody@meterai.id")]
    [InlineData(1, IdentityErrors.ContactInvalid, "--email", "not-an-email")]
    [InlineData(1, IdentityErrors.ApplicantNotFound, "--applicant", "081234567890")]
    [InlineData(1, IdentityErrors.ContactInvalid, "--applicant", "021-555")]
    public async Task Unlock_refuses_bad_input_with_a_message_and_a_non_zero_exit(int exit, string message, params string[] options)
    {
        var run = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "unlock", .. options, .. await DbArgsAsync()]);
        Assert.Equal(exit, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_operator_cannot_log_in_until_enabled_again()
    {
        var (email, password) = await OperatorAsync();
        var disable = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "disable", "--email", email, .. await DbArgsAsync()]);
        Assert.True(disable.ExitCode == 0, disable.Output + disable.Error);
        Assert.Contains($"operator {email} disabled since", disable.Output, StringComparison.Ordinal);
        await using (var db = await _backend.OpenAsync())
        {
            Assert.Equal(IdentityErrors.InvalidCredentials, (await Access(db, Core.Common.SystemClock.Instance).LoginAsync(email, password, "cli-test", Ct)).Result.Error?.Code);
        }

        var enable = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "enable", "--email", email, .. await DbArgsAsync()]);
        Assert.True(enable.ExitCode == 0, enable.Output + enable.Error);
        await using (var db = await _backend.OpenAsync())
        {
            Assert.True((await Access(db, Core.Common.SystemClock.Instance).LoginAsync(email, password, "cli-test", Ct)).Result.IsOk);
        }

        var missing = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "disable", "--email", "nobody@meterai.id", .. await DbArgsAsync()]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(IdentityErrors.OperatorNotFound, missing.Error, StringComparison.Ordinal);
        var noEmail = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "enable", .. await DbArgsAsync()]);
        Assert.NotEqual(0, noEmail.ExitCode);
        Assert.Contains("--email", noEmail.Error, StringComparison.Ordinal);
    }

    private async Task<(string Email, string Password)> OperatorAsync()
    {
        var email = $"admin.{Guid.NewGuid():N}@meterai.id";
        var run = await CliRunner.RunAsync(OperatorCommand.Create(), ["operator", "add", "--email", email, "--role", "issuer_admin", "--password-iterations", "1000", .. await DbArgsAsync()]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return (email, run.Output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim());
    }

    private static OperatorAccess Access(Storage.MeteraiDatabase db, Core.Common.IClock clock) =>
        new(db.Operators, db.LoginThrottle, new PasswordHasher(1000), new IdentitySettings(), clock);

    [Fact]
    public async Task Token_keys_rotate_to_the_next_id_and_list_without_secrets()
    {
        await using (var db = await _backend.OpenAsync())
        {
            Assert.True((await db.TokenSigningKeys.AddAsync(new TokenSigningKey("k1", new byte[32], DateTimeOffset.UtcNow), Ct)).IsOk);
        }

        var kek = Path.Combine(Directory.CreateTempSubdirectory("meterai-kek-").FullName, "kek.keys");
        var created = await CliRunner.RunAsync(KekCommand.Create(), ["kek", "create", "--file", kek]);
        Assert.True(created.ExitCode == 0, created.Output + created.Error);
        var rotate = await CliRunner.RunAsync(TokenKeyCommand.Create(), ["token-key", "rotate", "--kek-file", kek, .. await DbArgsAsync()]);
        Assert.True(rotate.ExitCode == 0, rotate.Output + rotate.Error);
        Assert.Contains("added token signing key k2", rotate.Output, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(TokenKeyCommand.Create(), ["token-key", "list", .. await DbArgsAsync()]);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["k1", "k2"], lines.Select(l => l.Split(' ')[0]));
        // The plaintext k1 (an older database) was sealed on the way; k2 was sealed before it was stored.
        Assert.All(lines, l => Assert.Contains("sealed with kek", l, StringComparison.Ordinal));

        var otherKek = Path.Combine(Path.GetDirectoryName(kek)!, "other.keys");
        await CliRunner.RunAsync(KekCommand.Create(), ["kek", "create", "--file", otherKek]);
        var wrong = await CliRunner.RunAsync(TokenKeyCommand.Create(), ["token-key", "rotate", "--kek-file", otherKek, .. await DbArgsAsync()]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("secret_key_unknown", wrong.Error, StringComparison.Ordinal);
    }
}
