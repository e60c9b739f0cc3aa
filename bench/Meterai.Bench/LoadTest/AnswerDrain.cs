using System.Buffers;

namespace Meterai.Bench.LoadTest;

/// <summary>
/// Reads an answer's body to its end and counts its bytes without keeping them. Kept, every stamped PDF (~97 KiB)
/// would be a fresh large-object-heap array the generator allocates, zeroes and collects on the machine under test;
/// a pooled buffer is reused instead, and one large enough that the connection reads straight into it rather than
/// copying through its own small buffer a few KiB at a time.
/// </summary>
public static class AnswerDrain
{
    public const int BufferSize = 64 * 1024;

    public static async Task<long> ReadToEndAsync(Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            for (int read; (read = await body.ReadAsync(buffer, ct)) > 0;) total += read;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
