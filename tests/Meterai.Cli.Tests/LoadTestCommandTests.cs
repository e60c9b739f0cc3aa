using Meterai.Cli.Commands;

namespace Meterai.Cli.Tests;

/// <summary>`meterai loadtest stamp` refuses bad input with a message and exit code 2, before it sends anything.</summary>
public sealed class LoadTestCommandTests
{
    [Fact]
    public async Task Bad_arguments_get_a_message_and_exit_code_2()
    {
        var pdf = Path.GetTempFileName();
        try
        {
            string[] ok = ["loadtest", "stamp", "--url", "http://127.0.0.1:1", "--files", pdf, "--operator-email", "a@b.id", "--operator-password", "x"];

            async Task Expect(string message, params string[] args)
            {
                var run = await CliRunner.RunAsync(LoadTestStampCommand.Create(), args);
                Assert.Equal(2, run.ExitCode);
                Assert.Contains(message, run.Error);
                Assert.Equal("", run.Output);
            }

            await Expect("--rate is between 0 and 100000", [.. ok, "--rate", "0"]);
            await Expect("--duration must be positive", [.. ok, "--duration", "-1"]);
            await Expect("--warmup must not be negative", [.. ok, "--warmup", "-5"]);
            await Expect("--connections must be at least 1", [.. ok, "--connections", "0"]);
            await Expect("--url is an absolute http(s) address", ["loadtest", "stamp", "--url", "not a url", "--files", pdf, "--operator-email", "a@b.id", "--operator-password", "x"]);
            await Expect("no such file", ["loadtest", "stamp", "--files", pdf + ".missing", "--operator-email", "a@b.id", "--operator-password", "x"]);
            await Expect("an issuer admin is needed", ["loadtest", "stamp", "--files", pdf]);
        }
        finally
        {
            File.Delete(pdf);
        }
    }
}
