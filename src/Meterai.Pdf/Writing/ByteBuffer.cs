using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Meterai.Pdf.Writing;

/// <summary>A growable byte buffer on pooled arrays: the increment is assembled here before it is hashed and written.</summary>
internal sealed class ByteBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public ByteBuffer(int capacity = 16 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length => _length;

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    /// <summary>Writes ASCII text (the caller guarantees it is ASCII).</summary>
    public void WriteAscii(string text)
    {
        Ensure(text.Length);
        for (var i = 0; i < text.Length; i++) _buffer[_length + i] = (byte)text[i];
        _length += text.Length;
    }

    public void WriteInteger(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var n);
        _length += n;
    }

    /// <summary>
    /// Writes a real exactly as it was read: the shortest text that parses back to the same double, never with an
    /// exponent (PDF has none). Values rewritten from the file (a page's /MediaBox, say) must not move by a rounding.
    /// </summary>
    public void WriteReal(double value)
    {
        if (!double.IsFinite(value)) value = 0;
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            WriteInteger((long)value);
            return;
        }

        Ensure(400);
        var span = _buffer.AsSpan(_length);
        value.TryFormat(span, out var n, "R", CultureInfo.InvariantCulture);
        if (span[..n].IndexOfAny((byte)'E', (byte)'e') >= 0)
        {
            // 1E-05 or 1.5E+20: spell it out; 340 digits cover every double's decimal expansion.
            value.TryFormat(span, out n, "0.#################################################################################################################################################################################################################################################################################################################################################", CultureInfo.InvariantCulture);
        }

        _length += n;
    }

    /// <summary>Writes a zero-padded integer of exactly <paramref name="width"/> digits (cross-reference tables).</summary>
    public void WritePadded(long value, int width)
    {
        Ensure(width);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length, width), out _, new StandardFormat('D', (byte)width));
        _length += width;
    }

    /// <summary>Reserves <paramref name="count"/> bytes filled with <paramref name="fill"/>; returns their position.</summary>
    public int Reserve(int count, byte fill)
    {
        Ensure(count);
        _buffer.AsSpan(_length, count).Fill(fill);
        var at = _length;
        _length += count;
        return at;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + extra));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _length = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
