namespace Meterai.Pdf.Parsing;

/// <summary>Random access to the bytes of a file: the reader only ever asks for small windows of it.</summary>
internal abstract class ByteSource
{
    public abstract long Length { get; }

    /// <summary>Copies up to <c>destination.Length</c> bytes from <paramref name="position"/>; returns how many (0 at the end).</summary>
    public abstract int ReadAt(long position, Span<byte> destination);

    /// <summary>The whole file when it already lies in memory (no copy needed), else empty.</summary>
    public virtual ReadOnlyMemory<byte> Memory => ReadOnlyMemory<byte>.Empty;

    public bool IsInMemory => Length == 0 || !Memory.IsEmpty;

    /// <summary>Wraps a seekable stream; a <see cref="MemoryStream"/> with an exposed buffer is read in place.</summary>
    public static ByteSource For(Stream stream)
    {
        if (stream is MemoryStream ms && ms.TryGetBuffer(out var segment))
        {
            return new MemoryByteSource(segment.AsMemory(0, (int)ms.Length));
        }

        return new StreamByteSource(stream);
    }
}

internal sealed class MemoryByteSource(ReadOnlyMemory<byte> memory) : ByteSource
{
    public override long Length => memory.Length;

    public override ReadOnlyMemory<byte> Memory => memory;

    public override int ReadAt(long position, Span<byte> destination)
    {
        if (position >= memory.Length || position < 0) return 0;
        var n = (int)Math.Min(destination.Length, memory.Length - position);
        memory.Span.Slice((int)position, n).CopyTo(destination);
        return n;
    }
}

/// <summary>A seekable stream, read where asked. Not thread-safe: one document, one reader.</summary>
internal sealed class StreamByteSource : ByteSource
{
    private readonly Stream _stream;
    private readonly long _length;

    public StreamByteSource(Stream stream)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("the input stream must be readable and seekable", nameof(stream));
        _stream = stream;
        _length = stream.Length;
    }

    public override long Length => _length;

    public override int ReadAt(long position, Span<byte> destination)
    {
        if (position >= _length || position < 0) return 0;
        if (_stream.Position != position) _stream.Position = position;
        var want = (int)Math.Min(destination.Length, _length - position);
        return _stream.ReadAtLeast(destination[..want], want, throwOnEndOfStream: false);
    }
}

/// <summary>The first <c>length</c> bytes of another source: a file as it was when an earlier revision ended.</summary>
internal sealed class PrefixByteSource(ByteSource inner, long length) : ByteSource
{
    public override long Length => length;

    public override ReadOnlyMemory<byte> Memory => inner.Memory.IsEmpty ? ReadOnlyMemory<byte>.Empty : inner.Memory[..(int)length];

    public override int ReadAt(long position, Span<byte> destination)
    {
        if (position >= length || position < 0) return 0;
        var n = (int)Math.Min(destination.Length, length - position);
        return inner.ReadAt(position, destination[..n]);
    }
}
