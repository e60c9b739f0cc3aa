using Meterai.Pdf.Writing;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// The whole incremental update, laid out, with its /ByteRange filled in and its /Contents slot still zeros.
/// <see cref="ContentsOffset"/> is the position of the slot's '&lt;' within <see cref="Bytes"/>. The bytes live in a
/// pooled buffer owned by this object until <see cref="Dispose"/>.
/// </summary>
internal sealed class ComposedIncrement(ByteBuffer buffer, long baseOffset, int contentsOffset, int contentsLength, long[] byteRange, bool certified) : IDisposable
{
    public Span<byte> Bytes => buffer.WrittenSpan;

    public int Length => buffer.Length;

    public long BaseOffset { get; } = baseOffset;

    public int ContentsOffset { get; } = contentsOffset;

    public int ContentsLength { get; } = contentsLength;

    public long[] ByteRange { get; } = byteRange;

    public bool Certified { get; } = certified;

    public long OutputLength => BaseOffset + Length;

    public void Dispose() => buffer.Dispose();
}
