namespace Meterai.Pdf.Stamping;

/// <summary>
/// The whole incremental update, laid out, with its /ByteRange filled in and its /Contents slot still zeros.
/// <see cref="ContentsOffset"/> is the position of the slot's '&lt;' within <see cref="Bytes"/>.
/// </summary>
internal sealed record ComposedIncrement(byte[] Bytes, long BaseOffset, int ContentsOffset, int ContentsLength, long[] ByteRange, bool Certified)
{
    public long OutputLength => BaseOffset + Bytes.Length;
}
