using System.Buffers;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Writes PDF content-stream bytes into a buffer rented from the shared pool (returned on <see cref="Dispose"/>),
/// so drawing a stamp allocates nothing but the finished stream. Numbers are written invariantly with at most three
/// decimals, trailing zeros dropped: 1/1000 pt is far below what any printer or screen resolves.
/// </summary>
internal ref struct ContentStreamWriter
{
    private byte[] _buffer;
    private int _length;

    public ContentStreamWriter(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>A number followed by a space.</summary>
    public void Number(double value) => Thousandths(ToThousandths(value));

    /// <summary>A non-negative integer followed by a space (the QR code's module coordinates).</summary>
    public void Integer(int value)
    {
        Ensure(12);
        if ((uint)value < 10)
        {
            _buffer[_length++] = (byte)('0' + value);
        }
        else if ((uint)value < 100)
        {
            _buffer[_length++] = (byte)('0' + value / 10);
            _buffer[_length++] = (byte)('0' + value % 10);
        }
        else
        {
            _length += WriteDigits(_buffer.AsSpan(_length), value);
        }

        _buffer[_length++] = (byte)' ';
    }

    /// <summary>A number given in thousandths (so 1500 writes "1.5"), followed by a space.</summary>
    public void Thousandths(long thousandths)
    {
        Ensure(24);
        var span = _buffer.AsSpan(_length);
        var at = 0;
        if (thousandths < 0)
        {
            span[at++] = (byte)'-';
            thousandths = -thousandths;
        }

        var whole = thousandths / 1000;
        var fraction = (int)(thousandths % 1000);
        at += WriteDigits(span[at..], whole);
        if (fraction != 0)
        {
            span[at++] = (byte)'.';
            span[at++] = (byte)('0' + fraction / 100);
            if (fraction % 100 != 0)
            {
                span[at++] = (byte)('0' + fraction / 10 % 10);
                if (fraction % 10 != 0) span[at++] = (byte)('0' + fraction % 10);
            }
        }

        span[at++] = (byte)' ';
        _length += at;
    }

    /// <summary>A literal string of single-byte codes, escaping the three bytes PDF's string syntax reserves.</summary>
    public void LiteralString(ReadOnlySpan<char> text)
    {
        Ensure(2 * text.Length + 2);
        _buffer[_length++] = (byte)'(';
        foreach (var c in text)
        {
            if (c > 0xFF) throw new ArgumentException($"U+{(int)c:X4} is not a single-byte code", nameof(text));
            if (c is '(' or ')' or '\\') _buffer[_length++] = (byte)'\\';
            _buffer[_length++] = (byte)c;
        }

        _buffer[_length++] = (byte)')';
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }

    public static long ToThousandths(double value) => (long)Math.Round(value * 1000, MidpointRounding.AwayFromZero);

    private static int WriteDigits(Span<byte> span, long value)
    {
        var n = 1;
        for (var rest = value / 10; rest != 0; rest /= 10) n++;
        for (var i = n - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + value % 10);
            value /= 10;
        }

        return n;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        Written.CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
