using System.Text;
using Meterai.Pdf.Appearance;

namespace Meterai.Pdf.Tests.Appearance;

public class ContentStreamWriterTests
{
    [Theory]
    [InlineData(0.0, "0 ")]
    [InlineData(1.5, "1.5 ")]
    [InlineData(-0.25, "-0.25 ")]
    [InlineData(12.3456, "12.346 ")]
    [InlineData(0.001, "0.001 ")]
    [InlineData(0.0004, "0 ")]
    [InlineData(-0.0004, "0 ")]
    [InlineData(0.05, "0.05 ")]
    [InlineData(14400, "14400 ")]
    [InlineData(1e-9, "0 ")]
    [InlineData(123456.7, "123456.7 ")]
    public void Numbers_are_invariant_with_at_most_three_decimals(double value, string expected)
    {
        Assert.Equal(expected, Write((ref ContentStreamWriter w) => w.Number(value)));
    }

    [Theory]
    [InlineData(0, "0 ")]
    [InlineData(7, "7 ")]
    [InlineData(40, "40 ")]
    [InlineData(176, "176 ")]
    [InlineData(1000000, "1000000 ")]
    public void Integers_are_plain_digits(int value, string expected)
    {
        Assert.Equal(expected, Write((ref ContentStreamWriter w) => w.Integer(value)));
    }

    [Fact]
    public void Literal_strings_escape_parentheses_and_backslash()
    {
        Assert.Equal(@"(A\(B\)C\\D)", Write((ref ContentStreamWriter w) => w.LiteralString(@"A(B)C\D")));
    }

    [Fact]
    public void Buffer_grows_past_its_initial_capacity_without_losing_bytes()
    {
        var expected = new StringBuilder();
        for (var i = 0; i < 5000; i++) expected.Append(i).Append(' ');
        Assert.Equal(expected.ToString(), Write((ref ContentStreamWriter w) =>
        {
            for (var i = 0; i < 5000; i++) w.Integer(i);
        }, capacity: 16));
    }

    private delegate void WriteAction(ref ContentStreamWriter w);

    private static string Write(WriteAction action, int capacity = 64)
    {
        var w = new ContentStreamWriter(capacity);
        try
        {
            action(ref w);
            return Encoding.ASCII.GetString(w.Written);
        }
        finally
        {
            w.Dispose();
        }
    }
}
