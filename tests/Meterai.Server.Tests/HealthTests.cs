using System.Net;

namespace Meterai.Server.Tests;

public class HealthTests
{
    [Fact]
    public async Task Health_answers_200_over_real_kestrel()
    {
        await using var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting]);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
