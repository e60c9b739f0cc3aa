using System.Buffers;

namespace Meterai.Server.Stamping;

/// <summary>
/// A growable write-only stream over arrays rented from a pool of its own: uploads and stamped outputs of a few hundred
/// kilobytes, thousands a second, without a large-object-heap allocation each. The shared pool keeps only a few dozen
/// arrays of a size per core: under a rush, hundreds of requests in flight each hold two, the rest were allocated
/// fresh on the large-object heap and dropped on return, and the full collections they caused stalled every request
/// for a tenth of a second at a time. This pool keeps up to 128 arrays of each size up to 1 MiB (larger ones are
/// allocated and freed as before): at most about 256 MiB held, in practice what the busiest moment needed. Read it back with
/// <see cref="Memory"/> or <see cref="OpenRead"/> (a MemoryStream over the same array, which the PDF engine reads in
/// place). Dispose returns the array; nothing may use the memory afterwards.
/// </summary>
public sealed class PooledBuffer(int initialCapacity) : Stream
{
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(1 << 20, 128);

    private byte[] _array = Pool.Rent(Math.Max(initialCapacity, 4096));
    private int _length;

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public MemoryStream OpenRead() => new(_array, 0, _length, writable: false, publiclyVisible: true);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > _array.Length) Grow(_length + buffer.Length);
        buffer.CopyTo(_array.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0) Pool.Return(array);
        base.Dispose(disposing);
    }

    private void Grow(int needed)
    {
        var bigger = Pool.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_array.Length * 2)));
        _array.AsSpan(0, _length).CopyTo(bigger);
        Pool.Return(_array);
        _array = bigger;
    }
}
