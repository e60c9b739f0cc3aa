using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// Builds objects from tokens (§7.3): arrays, dictionaries, references ("N G R" needs two tokens of look-ahead,
/// kept as one pushed-back integer so that number arrays are lexed once). Depth and size are bounded.
/// </summary>
internal sealed class ObjectParser(Lexer lexer, PdfLimits limits)
{
    private static ReadOnlySpan<byte> KwR => "R"u8;
    private static ReadOnlySpan<byte> KwTrue => "true"u8;
    private static ReadOnlySpan<byte> KwFalse => "false"u8;
    private static ReadOnlySpan<byte> KwNull => "null"u8;

    private bool _hasPending;
    private long _pendingInt;
    private long _pendingStart;
    private long _currentInt;
    private long _objectStart;

    public Lexer Lexer => lexer;

    /// <summary>Drops any pushed-back token and moves to <paramref name="position"/>.</summary>
    public void Seek(long position)
    {
        _hasPending = false;
        lexer.Seek(position);
    }

    /// <summary>The position after the last token consumed (a pushed-back token counts as not consumed).</summary>
    public long Position => _hasPending ? _pendingStart : lexer.Position;

    /// <summary>Parses one object starting at the current position.</summary>
    public PdfObject ParseObject()
    {
        _objectStart = Position;
        return ParseFrom(NextToken(), 0);
    }

    /// <summary>Reads the next token; an integer pushed back by reference look-ahead comes first.</summary>
    public TokenKind NextToken()
    {
        if (_hasPending)
        {
            _hasPending = false;
            _currentInt = _pendingInt;
            return TokenKind.Integer;
        }

        var kind = lexer.Next();
        if (kind == TokenKind.Integer) _currentInt = lexer.IntValue;
        return kind;
    }

    public long CurrentInteger => _currentInt;

    private PdfObject ParseFrom(TokenKind kind, int depth)
    {
        switch (kind)
        {
            case TokenKind.Integer:
                return ParseIntegerOrReference();
            case TokenKind.Real:
                return new PdfReal(lexer.RealValue);
            case TokenKind.Name:
                return PdfName.FromBytes(lexer.TokenBytes);
            case TokenKind.String:
                return new PdfString(lexer.TokenBytes.ToArray());
            case TokenKind.HexString:
                return new PdfString(lexer.TokenBytes.ToArray(), isHex: true);
            case TokenKind.ArrayStart:
                return ParseArray(depth + 1);
            case TokenKind.DictStart:
                return ParseDictionary(depth + 1);
            case TokenKind.Keyword:
                if (lexer.IsKeyword(KwTrue)) return PdfBoolean.True;
                if (lexer.IsKeyword(KwFalse)) return PdfBoolean.False;
                if (lexer.IsKeyword(KwNull)) return PdfNull.Instance;
                throw PdfFormatException.Malformed($"unexpected keyword '{System.Text.Encoding.Latin1.GetString(lexer.TokenBytes)}' at offset {lexer.TokenStart}");
            case TokenKind.Eof:
                throw PdfFormatException.Malformed("unexpected end of file inside an object");
            default:
                throw PdfFormatException.Malformed($"unexpected character at offset {lexer.TokenStart}");
        }
    }

    private PdfObject ParseIntegerOrReference()
    {
        var first = _currentInt;
        var secondStart = Position;
        var k2 = NextToken();
        if (k2 != TokenKind.Integer)
        {
            // Not a reference: give the token back by moving before it.
            lexer.Seek(lexer.TokenStart);
            return PdfInteger.Of(first);
        }

        var second = _currentInt;
        var thirdKind = lexer.Next();
        if (thirdKind == TokenKind.Keyword && lexer.IsKeyword(KwR))
        {
            if (first is <= 0 or > int.MaxValue || second is < 0 or > 65535 || first > limits.MaxObjectNumber)
            {
                return PdfNull.Instance; // a reference to an impossible object is a reference to nothing (§7.3.10)
            }

            return new PdfReference((int)first, (int)second);
        }

        lexer.Seek(lexer.TokenStart);
        _hasPending = true;
        _pendingInt = second;
        _pendingStart = secondStart;
        return PdfInteger.Of(first);
    }

    private PdfArray ParseArray(int depth)
    {
        CheckDepth(depth);
        var array = new PdfArray();
        while (true)
        {
            var kind = NextToken();
            if (kind == TokenKind.ArrayEnd) return array;
            if (kind == TokenKind.Eof) throw PdfFormatException.Malformed("unterminated array");
            CheckSize();
            WorkBudget.Tick();
            array.Add(ParseFrom(kind, depth));
        }
    }

    private PdfDictionary ParseDictionary(int depth)
    {
        CheckDepth(depth);
        var dict = new PdfDictionary();
        while (true)
        {
            var kind = NextToken();
            if (kind == TokenKind.DictEnd) return dict;
            if (kind != TokenKind.Name)
            {
                if (kind == TokenKind.Eof) throw PdfFormatException.Malformed("unterminated dictionary");
                throw PdfFormatException.Malformed($"a dictionary key must be a name (offset {lexer.TokenStart})");
            }

            var key = PdfName.KeyFromBytes(lexer.TokenBytes);
            CheckSize();
            WorkBudget.Tick();
            var valueKind = NextToken();
            if (valueKind == TokenKind.DictEnd)
            {
                return dict; // "<< /Key >>": a key without a value is absent (read as null)
            }

            var value = ParseFrom(valueKind, depth);
            // The last of duplicate keys wins, as in most readers.
            dict.Set(key, value);
        }
    }

    private void CheckDepth(int depth)
    {
        if (depth > limits.MaxNestingDepth) throw PdfFormatException.Limit($"objects nested deeper than {limits.MaxNestingDepth} levels");
    }

    private void CheckSize()
    {
        if (lexer.Position - _objectStart > limits.MaxObjectBytes) throw PdfFormatException.Limit($"an object is larger than {limits.MaxObjectBytes} bytes");
    }
}
