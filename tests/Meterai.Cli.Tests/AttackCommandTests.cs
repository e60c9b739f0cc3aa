using Meterai.Cli.Commands;

namespace Meterai.Cli.Tests;

/// <summary>`meterai attack` refuses bad arguments with a message and exit code 2 before it sends anything.</summary>
public sealed class AttackCommandTests
{
    [Fact]
    public async Task Bad_arguments_get_a_message_and_exit_code_2()
    {
        async Task Expect(string message, params string[] args)
        {
            var run = await CliRunner.RunAsync(AttackCommand.Create(), ["attack", .. args]);
            Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Error}");
            Assert.Contains(message, run.Error);
            Assert.Equal("", run.Output);
        }

        await Expect("--url is an absolute http(s) address", "--url", "not a url", "--operator-email", "a@b.id", "--operator-password", "x");
        await Expect("--url is an absolute http(s) address", "--url", "ftp://127.0.0.1/", "--operator-email", "a@b.id", "--operator-password", "x");
        await Expect("--set slow-uploads: expected key=value", "--url", "http://127.0.0.1:1", "--operator-email", "a@b.id", "--operator-password", "x", "--set", "slow-uploads");
        await Expect("no attack or item named nothing-like-this", "--only", "nothing-like-this");
        await Expect("--payment-sandbox is an absolute http(s) address", "--url", "http://127.0.0.1:1", "--operator-email", "a@b.id", "--operator-password", "x",
            "--payment-sandbox", "127.0.0.1:5090");
    }

    [Fact]
    public async Task The_list_names_the_edge_attacks_with_their_items()
    {
        var run = await CliRunner.RunAsync(AttackCommand.Create(), "attack", "--list", "--only", "6", "9", "10b", "10c");
        Assert.Equal(0, run.ExitCode);
        foreach (var id in new[] { "slow-upload-starvation", "slow-upload-not-cut-off", "tsa-for-anyone", "tsa-flood-by-caller", "missing-security-headers", "number-as-string", "absurd-document-date" })
        {
            Assert.Contains(id, run.Output);
        }
    }

    [Fact]
    public async Task Without_an_issuer_admin_it_says_what_it_needs()
    {
        var run = await CliRunner.RunAsync(AttackCommand.Create(), "attack", "--url", "http://127.0.0.1:1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--operator-email", run.Error, StringComparison.Ordinal);
    }
}
