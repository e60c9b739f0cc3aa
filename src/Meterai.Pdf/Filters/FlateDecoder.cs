using System.Buffers;
using System.IO.Compression;
using Meterai.Pdf.Budget;

namespace Meterai.Pdf.Filters;

/// <summary>
/// /FlateDecode (§7.4.4) with a hard bound on the output: a few kilobytes of deflate can expand to gigabytes. The
/// data is inflated twice — first only to measure it (into a small scratch buffer, stopping as soon as the bound is
/// passed), then into an array of exactly that size — so a bomb costs CPU up to the bound and no memory at all.
/// </summary>
internal static class FlateDecoder
{
    private const int ScratchSize = 16 * 1024;

    public static byte[] Decode(byte[] encoded, int maxOutput)
    {
        // Most writers emit a zlib header; a few emit raw deflate. Try zlib (skip its 2-byte header), then raw.
        var hasZlibHeader = encoded.Length >= 2 && (encoded[0] & 0x0F) == 8 && ((encoded[0] << 8) | encoded[1]) % 31 == 0;
        if (hasZlibHeader && TryDecode(encoded, 2, maxOutput, out var result)) return result;
        if (TryDecode(encoded, 0, maxOutput, out result)) return result;
        throw PdfFormatException.Malformed("a compressed stream is not valid deflate data");
    }

    private static bool TryDecode(byte[] encoded, int skip, int maxOutput, out byte[] result)
    {
        result = [];
        var length = Inflate(encoded, skip, maxOutput, null);
        if (length < 0) return false;
        if (length == 0) return true;
        result = new byte[length];
        Inflate(encoded, skip, maxOutput, result);
        return true;
    }

    /// <summary>
    /// Inflates into <paramref name="target"/> (or only counts, when null); returns the length that inflated cleanly,
    /// keeping what came before a corrupt or truncated tail, as readers do; -1 when nothing inflates at all.
    /// </summary>
    private static int Inflate(byte[] encoded, int skip, int maxOutput, byte[]? target)
    {
        var scratch = target is null ? ArrayPool<byte>.Shared.Rent(ScratchSize) : null;
        try
        {
            using var input = new MemoryStream(encoded, skip, encoded.Length - skip, writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            var total = 0;
            try
            {
                while (true)
                {
                    var n = target is null
                        ? inflater.Read(scratch!, 0, scratch!.Length)
                        : inflater.Read(target, total, target.Length - total);
                    if (n <= 0) break;
                    WorkBudget.Tick();
                    total += n;
                    if (total > maxOutput) throw PdfFormatException.Limit($"a compressed stream expands beyond {maxOutput} bytes");
                    if (target is not null && total == target.Length) break;
                }
            }
            catch (InvalidDataException)
            {
                if (total == 0) return -1;
            }

            return total;
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
