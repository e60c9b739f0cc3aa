using Meterai.Core.Payments;
using Meterai.TestSupport;

namespace Meterai.PaySim.Tests.Domain;

public class NotificationSignatureTests
{
    // printf '%s' 'ORD-120010000.00paysim-server-key' | sha512sum
    private const string KnownVector =
        "fcba4e3cf5baa7d8a60598c11920a3470fa1be27ea7b16c38f9cd65e1ba7673f0f56b7d77e92c54ae6d8e112a6c0ce787e6fcd22cf34f308e59c1da3ef77786e";

    [Fact]
    public void Computes_the_known_vector()
    {
        Assert.Equal(KnownVector, NotificationSignature.Compute("ORD-1", "200", "10000.00", "paysim-server-key"));
    }

    [Theory]
    [InlineData("ORD-7", "201", "10000.00", "k")]
    [InlineData("order_ümlaut", "202", "123456789.00", "SB-Mid-server-xyz")]
    public void Agrees_with_sha512sum(string orderId, string statusCode, string grossAmount, string key)
    {
        ExternalTool.Require("sha512sum");
        var outcome = ExternalTool.Run("sh", ["-c", "printf '%s' \"$1\" | sha512sum", "sh", orderId + statusCode + grossAmount + key]);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(outcome.StdOut.Split(' ')[0], NotificationSignature.Compute(orderId, statusCode, grossAmount, key));
    }

    [Fact]
    public void Verifies_the_genuine_signature_in_either_case()
    {
        Assert.True(NotificationSignature.Verify("ORD-1", "200", "10000.00", "paysim-server-key", KnownVector));
        Assert.True(NotificationSignature.Verify("ORD-1", "200", "10000.00", "paysim-server-key", KnownVector.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("ORD-1", "200", "10000.00", "another-key")]   // signed with someone else's key
    [InlineData("ORD-2", "200", "10000.00", "paysim-server-key")] // signature moved to another order
    [InlineData("ORD-1", "201", "10000.00", "paysim-server-key")] // status code changed
    [InlineData("ORD-1", "200", "10000", "paysim-server-key")]    // same amount, other text: the text is signed
    public void Refuses_a_signature_that_does_not_cover_these_fields(string orderId, string statusCode, string grossAmount, string key)
    {
        Assert.False(NotificationSignature.Verify(orderId, statusCode, grossAmount, key, KnownVector));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fcba4e3c")]
    [InlineData("zz" + "cba4e3cf5baa7d8a60598c11920a3470fa1be27ea7b16c38f9cd65e1ba7673f0f56b7d77e92c54ae6d8e112a6c0ce787e6fcd22cf34f308e59c1da3ef77786e")]
    public void Refuses_what_is_not_a_signature(string? signature)
    {
        Assert.False(NotificationSignature.Verify("ORD-1", "200", "10000.00", "paysim-server-key", signature));
    }

    [Fact]
    public void Refuses_a_forgery_one_character_off()
    {
        var forged = (KnownVector[0] == 'f' ? "e" : "f") + KnownVector[1..];
        Assert.False(NotificationSignature.Verify("ORD-1", "200", "10000.00", "paysim-server-key", forged));
        var lastOff = KnownVector[..^1] + (KnownVector[^1] == 'e' ? "f" : "e");
        Assert.False(NotificationSignature.Verify("ORD-1", "200", "10000.00", "paysim-server-key", lastOff));
    }
}
