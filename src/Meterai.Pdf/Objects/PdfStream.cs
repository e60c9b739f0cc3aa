namespace Meterai.Pdf.Objects;

/// <summary>
/// A stream (§7.3.8). A stream read from a file only records where its raw (encoded, possibly encrypted) data lies:
/// the engine never decodes content streams. A stream built by the writer carries its <see cref="EncodedData"/>.
/// </summary>
public sealed class PdfStream : PdfObject
{
    /// <summary>A stream lying in the file at <paramref name="dataOffset"/> with <paramref name="length"/> raw bytes.</summary>
    public PdfStream(PdfDictionary dictionary, long dataOffset, long length)
    {
        Dictionary = dictionary;
        DataOffset = dataOffset;
        Length = length;
    }

    /// <summary>A new stream whose data is already encoded (filters applied) but not encrypted.</summary>
    public PdfStream(PdfDictionary dictionary, ReadOnlyMemory<byte> encodedData)
    {
        Dictionary = dictionary;
        DataOffset = -1;
        Length = encodedData.Length;
        EncodedData = encodedData;
    }

    public PdfDictionary Dictionary { get; }

    /// <summary>File offset of the first data byte, or -1 for a stream built in memory.</summary>
    public long DataOffset { get; }

    /// <summary>Raw length in the file (after "stream" EOL, before "endstream"); may differ from a wrong /Length.</summary>
    public long Length { get; }

    public ReadOnlyMemory<byte>? EncodedData { get; }

    public bool InFile => DataOffset >= 0;

    public override string ToString() => Dictionary + " stream";
}
