using Meterai.TestSupport;

namespace Meterai.Server.Tests;

public class ServerProcessTests
{
    [Fact]
    public async Task Server_process_survives_a_kill_and_restarts_on_the_same_data_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), $"meterai-server-process-{Guid.NewGuid():N}");
        try
        {
            var env = new Dictionary<string, string> { ["METERAI_Database__DataDirectory"] = Path.Combine(folder, "data") };
            await using var server = await ServerProcess.StartAsync(env, folder, ct: ct);
            Assert.True(File.Exists(Path.Combine(folder, "data", "meterai.db")), server.Log);
            server.Kill();
            Assert.False(server.IsRunning);
            await server.StartAgainAsync(ct: ct);
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health", ct)).StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
