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
            var op = await access.LoginAsync("admin@meterai.id", password, Ct);
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
