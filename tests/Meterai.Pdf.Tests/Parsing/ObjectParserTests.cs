using System.Text;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Tests.Parsing;

public class ObjectParserTests
{
    private static PdfObject Parse(string text, PdfLimits? limits = null)
    {
        limits ??= PdfLimits.Default;
        var parser = new ObjectParser(new Lexer(new MemoryByteSource(Encoding.Latin1.GetBytes(text)), limits.MaxObjectBytes), limits);
        return parser.ParseObject();
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-17", -17L)]
    [InlineData("+5", 5L)]
    [InlineData("--3", 3L)]
    [InlineData("0000000123", 123L)]
    public void Reads_integers(string text, long expected) => Assert.Equal(expected, Assert.IsType<PdfInteger>(Parse(text)).Value);

    [Theory]
    [InlineData("3.25", 3.25)]
    [InlineData("-.5", -0.5)]
    [InlineData("4.", 4.0)]
    [InlineData("123456789012345678901234", 1.2345678901234568E+23)]
    public void Reads_reals(string text, double expected) =>
        Assert.InRange(Math.Abs(Assert.IsType<PdfReal>(Parse(text)).Value - expected), 0, Math.Abs(expected) * 1e-12 + 1e-9);

    [Fact]
    public void Reads_literal_strings_with_escapes_balanced_parentheses_and_line_ends()
    {
        var s = Assert.IsType<PdfString>(Parse("(a\\(b\\)c (nested) \\101\\n\\\\ line\\\r\ncontinued\r\nend)"));
        Assert.Equal("a(b)c (nested) A\n\\ linecontinued\nend", Encoding.Latin1.GetString(s.Bytes));
    }

    [Fact]
    public void Reads_hex_strings_with_white_space_and_an_odd_digit()
    {
        var s = Assert.IsType<PdfString>(Parse("<48 65 6C6C 6F7>"));
        Assert.Equal("Hello"u8.ToArray().Concat(new byte[] { 0x70 }), s.Bytes);
        Assert.True(s.IsHex);
    }

    [Fact]
    public void Reads_names_with_hex_escapes()
    {
        Assert.Equal("A B#", Assert.IsType<PdfName>(Parse("/A#20B#23")).Value);
    }

    [Fact]
    public void Tells_references_from_integer_pairs()
    {
        var a = Assert.IsType<PdfArray>(Parse("[1 0 R 2 3 4 0 R 5 6]"));
        Assert.Equal(6, a.Count);
        Assert.Equal(new ObjectId(1, 0), Assert.IsType<PdfReference>(a[0]).Id);
        Assert.Equal(2, Assert.IsType<PdfInteger>(a[1]).Value);
        Assert.Equal(3, Assert.IsType<PdfInteger>(a[2]).Value);
        Assert.Equal(new ObjectId(4, 0), Assert.IsType<PdfReference>(a[3]).Id);
        Assert.Equal(5, Assert.IsType<PdfInteger>(a[4]).Value);
        Assert.Equal(6, Assert.IsType<PdfInteger>(a[5]).Value);
    }

    [Fact]
    public void Reads_dictionaries_in_order_and_a_key_without_value_as_absent()
    {
        var d = Assert.IsType<PdfDictionary>(Parse("<< /Type /Page /Kids [1 0 R] /Z (x) /Empty >>"));
        Assert.Equal(["Type", "Kids", "Z"], d.Keys.ToArray());
        Assert.Null(d["Empty"]);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_limit()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var e = Assert.Throws<PdfFormatException>(() => Parse(deep));
        Assert.Equal(PdfErrorCodes.LimitExceeded, e.Code);
    }

    [Fact]
    public void Refuses_a_token_longer_than_the_limit()
    {
        var limits = PdfLimits.Default with { MaxObjectBytes = 1000 };
        var e = Assert.Throws<PdfFormatException>(() => Parse("(" + new string('a', 5000) + ")", limits));
        Assert.Equal(PdfErrorCodes.LimitExceeded, e.Code);
    }

    [Theory]
    [InlineData("[1 2")]
    [InlineData("<< /A 1")]
    [InlineData("<< 1 2 >>")]
    [InlineData("endobj")]
    [InlineData(")")]
    public void Malformed_objects_are_errors_with_a_code(string text)
    {
        var e = Assert.Throws<PdfFormatException>(() => Parse(text));
        Assert.Equal(PdfErrorCodes.Malformed, e.Code);
    }
}
