using System.Buffers;
using System.IO.Compression;

namespace Meterai.Pdf.Filters;

/// <summary>
/// /FlateDecode (§7.4.4) with a hard bound on the output: a few kilobytes of deflate can expand to gigabytes, so the
/// decoder stops and refuses as soon as the bound is passed instead of trusting any declared size.
/// </summary>
internal static class FlateDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> encoded, int maxOutput)
    {
        // Most writers emit a zlib header; a few emit raw deflate. Try zlib, then raw deflate after the 2-byte header,
        // then raw deflate from the start.
        var hasZlibHeader = encoded.Length >= 2 && (encoded[0] & 0x0F) == 8 && ((encoded[0] << 8) | encoded[1]) % 31 == 0;
        var data = encoded.ToArray();
        if (hasZlibHeader && TryInflate(data, 2, maxOutput, out var result)) return result;
        if (TryInflate(data, 0, maxOutput, out result)) return result;
        throw PdfFormatException.Malformed("a compressed stream is not valid deflate data");
    }

    private static bool TryInflate(byte[] data, int skip, int maxOutput, out byte[] result)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            using var input = new MemoryStream(data, skip, data.Length - skip, writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            try
            {
                int n;
                while ((n = inflater.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (output.Length + n > maxOutput)
                    {
                        throw PdfFormatException.Limit($"a compressed stream expands beyond {maxOutput} bytes");
                    }

                    output.Write(buffer, 0, n);
                }
            }
            catch (InvalidDataException)
            {
                // Truncated or corrupt tail: keep what inflated cleanly when there is something; readers do the same.
                if (output.Length == 0)
                {
                    result = [];
                    return false;
                }
            }

            result = output.ToArray();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
