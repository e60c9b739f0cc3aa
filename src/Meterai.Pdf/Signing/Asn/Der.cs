namespace Meterai.Pdf.Signing;

/// <summary>
/// The few DER primitives the hot path writes by hand: a tag and a definite length. Sizes are computed first, so
/// every structure is written once, front to back, into an array of exactly the right size.
/// </summary>
internal static class Der
{
    public const byte Integer = 0x02;
    public const byte OctetString = 0x04;
    public const byte Null = 0x05;
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;
    public const byte ContextConstructed0 = 0xA0;
    public const byte ContextConstructed1 = 0xA1;

    /// <summary>Bytes of the length field for <paramref name="contentLength"/> content bytes.</summary>
    public static int LengthOfLength(int contentLength) => contentLength switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFFFFFF => 4,
        _ => 5,
    };

    /// <summary>Total encoded size of one element (single-byte tag) holding <paramref name="contentLength"/> bytes.</summary>
    public static int ElementSize(int contentLength) => 1 + LengthOfLength(contentLength) + contentLength;

    /// <summary>Writes tag and length at <paramref name="offset"/>; returns the offset of the content.</summary>
    public static int WriteHeader(Span<byte> buffer, int offset, byte tag, int contentLength)
    {
        buffer[offset++] = tag;
        if (contentLength < 0x80)
        {
            buffer[offset++] = (byte)contentLength;
            return offset;
        }

        var n = LengthOfLength(contentLength) - 1;
        buffer[offset++] = (byte)(0x80 | n);
        for (var i = n - 1; i >= 0; i--) buffer[offset++] = (byte)(contentLength >> (8 * i));
        return offset;
    }

    public static int Write(Span<byte> buffer, int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[offset..]);
        return offset + bytes.Length;
    }

    /// <summary>One element: <paramref name="tag"/> around <paramref name="content"/>.</summary>
    public static byte[] Wrap(byte tag, byte[] content)
    {
        var output = new byte[ElementSize(content.Length)];
        Write(output, WriteHeader(output, 0, tag, content.Length), content);
        return output;
    }

    /// <summary>An OBJECT IDENTIFIER element.</summary>
    public static byte[] ObjectIdentifier(string oid)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }
}
