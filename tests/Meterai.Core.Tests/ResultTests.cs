using Meterai.Core.Common;

namespace Meterai.Core.Tests;

public class ResultTests
{
    [Fact]
    public void Ok_holds_value_and_no_error()
    {
        var r = Result<int>.Ok(7);
        Assert.True(r.IsOk);
        Assert.Equal(7, r.Value);
    }

    [Fact]
    public void Fail_holds_error_and_refuses_value()
    {
        Result<int> r = new Error("amount_must_be_positive", "amount must be > 0");
        Assert.False(r.IsOk);
        Assert.Equal("amount_must_be_positive", r.Error.Code);
        Assert.Throws<InvalidOperationException>(() => r.Value);
    }
}
