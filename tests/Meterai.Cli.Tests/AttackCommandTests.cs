using Meterai.Cli.Commands;

namespace Meterai.Cli.Tests;

/// <summary>`meterai attack`'s arguments: bad ones are a message and exit 2, before anything is sent.</summary>
public sealed class AttackCommandTests
{
    [Fact]
    public async Task The_list_names_every_attack_with_its_item()
    {
        var run = await CliRunner.RunAsync(AttackCommand.Create(), "attack", "--list");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("token-alg-none", run.Output, StringComparison.Ordinal);
        Assert.True(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 10, run.Output);
    }

    [Theory]
    [InlineData("--url", "not a url")]
    [InlineData("--url", "ftp://127.0.0.1/")]
    [InlineData("--only", "no-such-attack")]
    public async Task Bad_arguments_exit_2_with_a_message(string option, string value)
    {
        var run = await CliRunner.RunAsync(AttackCommand.Create(), "attack", option, value, "--operator-email", "a@b.id", "--operator-password", "x");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_issuer_admin_it_says_what_it_needs()
    {
        var run = await CliRunner.RunAsync(AttackCommand.Create(), "attack", "--url", "http://127.0.0.1:1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--operator-email", run.Error, StringComparison.Ordinal);
    }
}
