using Meterai.Server.Api;

namespace Meterai.Server.Tests.Api;

public sealed class ErrorStatusTests
{
    [Fact]
    public void A_code_has_one_status_and_registering_it_with_another_fails_at_start_up()
    {
        var code = "test_code_" + Guid.NewGuid().ToString("N");
        ErrorStatus.Register(409, code);
        ErrorStatus.Register(409, code); // the same again: an area registering twice is fine

        var clash = Assert.Throws<InvalidOperationException>(() => ErrorStatus.Register(422, code));
        Assert.Contains(code, clash.Message);
        Assert.Equal(409, ErrorStatus.For(code));
    }

    [Fact]
    public void A_reused_idempotency_key_is_422_in_every_area()
    {
        // Building the host registers every area's codes; a clash would have thrown there.
        using var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--environment=Development", "--" + Meterai.TestSupport.TestSecrets.Setting, $"--Database:DataDirectory={Directory.CreateTempSubdirectory("meterai-status-").FullName}"]);
        Assert.Equal(422, ErrorStatus.For(IdempotencyKey.Reused));
        Assert.Equal(422, ErrorStatus.For(Meterai.Core.Orders.OrderErrors.IdempotencyKeyReused));
    }
}
