using System.Runtime.InteropServices;

namespace Meterai.Pdf.Parsing;

internal enum TokenKind
{
    Eof,
    Integer,
    Real,
    Name,
    String,
    HexString,
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Keyword,

    /// <summary>A byte that cannot start a token here (a stray ")", "&gt;", "{" or "}").</summary>
    Other,
}

/// <summary>
/// Splits PDF bytes into tokens (§7.2). It reads the file through a small window that it refills on demand, or in
/// place when the file lies in memory, so parsing an object costs reads proportional to the object, never to the file.
/// Token text is gathered in a scratch buffer so the window can move under a long token.
/// </summary>
internal sealed class Lexer
{
    private const int WindowSize = 8192;

    // 1 = white-space (§7.2.2), 2 = delimiter (§7.2.2)
    private static readonly byte[] Classes = BuildClasses();

    private readonly ByteSource _source;
    private readonly int _maxToken;
    private readonly bool _direct;
    private readonly byte[] _buf;
    private readonly int _lo;
    private long _bufStart;
    private int _hi;
    private int _pos;
    private byte[] _scratch = new byte[256];
    private int _scratchLength;

    public Lexer(ByteSource source, int maxToken)
    {
        _source = source;
        _maxToken = maxToken;
        if (!source.Memory.IsEmpty && MemoryMarshal.TryGetArray(source.Memory, out var segment))
        {
            _direct = true;
            _buf = segment.Array!;
            _lo = segment.Offset;
            _hi = segment.Offset + segment.Count;
            _pos = _lo;
            _bufStart = 0;
        }
        else
        {
            _buf = new byte[WindowSize];
            _bufStart = 0;
            _lo = 0;
            _hi = 0;
            _pos = 0;
        }
    }

    public ByteSource Source => _source;

    public long Length => _source.Length;

    public long Position
    {
        get => _bufStart + (_pos - _lo);
        set => Seek(value);
    }

    /// <summary>File offset where the last token returned by <see cref="Next"/> began.</summary>
    public long TokenStart { get; private set; }

    public long IntValue { get; private set; }

    public double RealValue { get; private set; }

    /// <summary>Bytes of the last name, keyword, number or string token (names unescaped, strings decoded).</summary>
    public ReadOnlySpan<byte> TokenBytes => _scratch.AsSpan(0, _scratchLength);

    public void Seek(long position)
    {
        if (position < 0) position = 0;
        if (_direct)
        {
            _pos = (int)Math.Min(_lo + position, _hi);
            return;
        }

        var windowLength = _hi - _lo;
        if (position >= _bufStart && position <= _bufStart + windowLength)
        {
            _pos = _lo + (int)(position - _bufStart);
            return;
        }

        _bufStart = position;
        _hi = 0;
        _pos = 0;
    }

    public static bool IsWhitespace(int b) => b >= 0 && Classes[b] == 1;

    public static bool IsDelimiter(int b) => b >= 0 && Classes[b] == 2;

    public static bool IsRegular(int b) => b >= 0 && Classes[b] == 0;

    public int Peek()
    {
        if (_pos < _hi) return _buf[_pos];
        return Fill() ? _buf[_pos] : -1;
    }

    public int Read()
    {
        if (_pos < _hi) return _buf[_pos++];
        return Fill() ? _buf[_pos++] : -1;
    }

    private bool Fill()
    {
        if (_direct) return false;
        var position = Position;
        if (position >= _source.Length) return false;
        var n = _source.ReadAt(position, _buf);
        _bufStart = position;
        _hi = n;
        _pos = 0;
        return n > 0;
    }

    public void SkipWhitespaceAndComments()
    {
        while (true)
        {
            var b = Peek();
            if (b < 0) return;
            if (Classes[b] == 1)
            {
                _pos++;
                continue;
            }

            if (b == '%')
            {
                while (b >= 0 && b != '\n' && b != '\r')
                {
                    _pos++;
                    b = Peek();
                }

                continue;
            }

            return;
        }
    }

    /// <summary>Reads the next token. Values are in <see cref="IntValue"/>, <see cref="RealValue"/> or <see cref="TokenBytes"/>.</summary>
    public TokenKind Next()
    {
        SkipWhitespaceAndComments();
        TokenStart = Position;
        _scratchLength = 0;
        var b = Read();
        switch (b)
        {
            case -1:
                return TokenKind.Eof;
            case '[':
                return TokenKind.ArrayStart;
            case ']':
                return TokenKind.ArrayEnd;
            case '/':
                ReadName();
                return TokenKind.Name;
            case '(':
                ReadLiteralString();
                return TokenKind.String;
            case '<':
                if (Peek() == '<')
                {
                    _pos++;
                    return TokenKind.DictStart;
                }

                ReadHexString();
                return TokenKind.HexString;
            case '>':
                if (Peek() == '>')
                {
                    _pos++;
                    return TokenKind.DictEnd;
                }

                return TokenKind.Other;
            case ')' or '{' or '}':
                return TokenKind.Other;
        }

        if (b is (>= '0' and <= '9') or '+' or '-' or '.')
        {
            return ReadNumber(b);
        }

        Append((byte)b);
        while (IsRegular(Peek())) Append((byte)Read());
        return TokenKind.Keyword;
    }

    /// <summary>True when the last token was the keyword <paramref name="keyword"/> (ASCII).</summary>
    public bool IsKeyword(ReadOnlySpan<byte> keyword) => TokenBytes.SequenceEqual(keyword);

    private TokenKind ReadNumber(int first)
    {
        // Lenient like common readers: "--5" reads as 5 and "+-5" as -5; a lone sign or dot reads as 0.
        var negative = false;
        var b = first;
        int p;
        while (b is '+' or '-')
        {
            if (b == '-') negative = !negative;
            Append((byte)b);
            p = Peek();
            if (p is '+' or '-' or (>= '0' and <= '9') or '.')
            {
                _pos++;
                b = p;
            }
            else
            {
                b = -1;
            }
        }

        long integer = 0;
        var digits = 0;
        var overflow = false;
        while (b is >= '0' and <= '9')
        {
            Append((byte)b);
            if (digits < 18) integer = integer * 10 + (b - '0');
            else overflow = true;
            digits++;
            p = Peek();
            if (p is (>= '0' and <= '9') or '.')
            {
                _pos++;
                b = p;
            }
            else
            {
                b = -1;
            }
        }

        if (b == '.')
        {
            Append((byte)b);
            double frac = 0;
            double scale = 1;
            while (Peek() is >= '0' and <= '9')
            {
                var d = Read();
                Append((byte)d);
                if (scale > 1e-15)
                {
                    scale /= 10;
                    frac += (d - '0') * scale;
                }
            }

            var whole = overflow ? ParseDouble() : integer;
            RealValue = negative ? -(whole + frac) : whole + frac;
            return TokenKind.Real;
        }

        if (overflow)
        {
            RealValue = negative ? -ParseDouble() : ParseDouble();
            return TokenKind.Real;
        }

        IntValue = negative ? -integer : integer;
        return TokenKind.Integer;
    }

    private double ParseDouble()
    {
        var digits = TokenBytes;
        double v = 0;
        foreach (var c in digits)
        {
            if (c is >= (byte)'0' and <= (byte)'9') v = v * 10 + (c - '0');
            else if (c == '.') break;
        }

        return v;
    }

    private void ReadName()
    {
        while (true)
        {
            var b = Peek();
            if (!IsRegular(b)) return;
            _pos++;
            if (b == '#')
            {
                var h1 = HexValue(Peek());
                if (h1 >= 0)
                {
                    _pos++;
                    var h2 = HexValue(Peek());
                    if (h2 >= 0)
                    {
                        _pos++;
                        Append((byte)((h1 << 4) | h2));
                        continue;
                    }

                    Append((byte)'#');
                    Append((byte)"0123456789ABCDEF"[h1]);
                    continue;
                }
            }

            Append((byte)b);
        }
    }

    private void ReadLiteralString()
    {
        var depth = 1;
        while (true)
        {
            var b = Read();
            switch (b)
            {
                case -1:
                    return; // unterminated: keep what was read; the caller's structure check will complain
                case '(':
                    depth++;
                    Append((byte)b);
                    break;
                case ')':
                    if (--depth == 0) return;
                    Append((byte)b);
                    break;
                case '\r':
                    // An end-of-line inside a literal string reads as a single \n (§7.3.4.2).
                    if (Peek() == '\n') _pos++;
                    Append((byte)'\n');
                    break;
                case '\\':
                    ReadEscape();
                    break;
                default:
                    Append((byte)b);
                    break;
            }
        }
    }

    private void ReadEscape()
    {
        var e = Read();
        switch (e)
        {
            case -1: return;
            case 'n': Append((byte)'\n'); return;
            case 'r': Append((byte)'\r'); return;
            case 't': Append((byte)'\t'); return;
            case 'b': Append((byte)'\b'); return;
            case 'f': Append((byte)'\f'); return;
            case '\r':
                if (Peek() == '\n') _pos++;
                return; // line continuation
            case '\n':
                return;
        }

        if (e is >= '0' and <= '7')
        {
            var v = e - '0';
            for (var i = 0; i < 2 && Peek() is >= '0' and <= '7'; i++) v = (v << 3) + (Read() - '0');
            Append((byte)v);
            return;
        }

        Append((byte)e); // \( \) \\ and unknown escapes: the character itself
    }

    private void ReadHexString()
    {
        var high = -1;
        while (true)
        {
            var b = Read();
            if (b is -1 or '>') break;
            var h = HexValue(b);
            if (h < 0) continue; // white-space and junk are ignored
            if (high < 0) high = h;
            else
            {
                Append((byte)((high << 4) | h));
                high = -1;
            }
        }

        if (high >= 0) Append((byte)(high << 4)); // an odd final digit reads as if followed by 0 (§7.3.4.3)
    }

    private static int HexValue(int b) => b switch
    {
        >= '0' and <= '9' => b - '0',
        >= 'a' and <= 'f' => b - 'a' + 10,
        >= 'A' and <= 'F' => b - 'A' + 10,
        _ => -1,
    };

    private void Append(byte b)
    {
        if (_scratchLength == _scratch.Length)
        {
            if (_scratch.Length >= _maxToken) throw PdfFormatException.Limit($"a token at offset {TokenStart} is longer than {_maxToken} bytes");
            Array.Resize(ref _scratch, Math.Min(_maxToken, _scratch.Length * 2));
        }

        _scratch[_scratchLength++] = b;
    }

    /// <summary>Skips one end-of-line after the "stream" keyword: CRLF or LF (§7.3.8.1), or a lone CR as some writers do.</summary>
    public void SkipStreamEol()
    {
        var b = Peek();
        if (b == '\r')
        {
            _pos++;
            if (Peek() == '\n') _pos++;
        }
        else if (b == '\n')
        {
            _pos++;
        }
    }

    private static byte[] BuildClasses()
    {
        var c = new byte[256];
        foreach (var w in "\0\t\n\f\r ") c[w] = 1;
        foreach (var d in "()<>[]{}/%") c[d] = 2;
        return c;
    }
}
