using System.Buffers;
using Meterai.Pdf.Budget;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// Finds every "N G obj" header and every "trailer" keyword in a file by reading it once from start to end: the
/// basis of recovery when the cross-reference data cannot be trusted.
/// </summary>
internal static class ObjectScanner
{
    public readonly record struct Header(long Offset, int Number, int Generation);

    public static (List<Header> Headers, List<long> Trailers) Scan(ByteSource source, int maxObjects)
    {
        var headers = new List<Header>();
        var trailers = new List<long>();
        if (!source.Memory.IsEmpty)
        {
            ScanSpan(source.Memory.Span, 0, headers, trailers, maxObjects);
            return (headers, trailers);
        }

        const int chunk = 1 << 20;
        const int overlap = 64;
        var buffer = ArrayPool<byte>.Shared.Rent(chunk + overlap);
        try
        {
            long position = 0;
            while (position < source.Length)
            {
                var n = source.ReadAt(position, buffer.AsSpan(0, (int)Math.Min(chunk + overlap, source.Length - position)));
                if (n <= 0) break;
                // Only matches that start before the overlap belong to this chunk; the next chunk sees the rest whole.
                var limit = position + n >= source.Length ? n : n - overlap;
                ScanSpan(buffer.AsSpan(0, n), position, headers, trailers, maxObjects, limit);
                if (position + n >= source.Length) break;
                position += n - overlap;
            }

            return (headers, trailers);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ScanSpan(ReadOnlySpan<byte> s, long baseOffset, List<Header> headers, List<long> trailers, int maxObjects, int limit = int.MaxValue)
    {
        var searchFrom = 0;
        while (true)
        {
            var i = s[searchFrom..].IndexOf("obj"u8);
            if (i < 0) break;
            var p = searchFrom + i;
            searchFrom = p + 3;
            if (p + 3 < s.Length && Lexer.IsRegular(s[p + 3])) continue;
            if (TryHeaderBefore(s, p, out var start, out var number, out var generation))
            {
                if (start >= limit) break;
                if (headers.Count >= maxObjects) throw PdfFormatException.Limit($"more than {maxObjects} objects in a damaged file");
                WorkBudget.Tick();
                headers.Add(new Header(baseOffset + start, number, generation));
            }
        }

        searchFrom = 0;
        while (true)
        {
            var i = s[searchFrom..].IndexOf("trailer"u8);
            if (i < 0) break;
            var p = searchFrom + i;
            searchFrom = p + 7;
            if (p >= limit) break;
            if (p > 0 && Lexer.IsRegular(s[p - 1])) continue;
            if (p + 7 < s.Length && Lexer.IsRegular(s[p + 7])) continue;
            trailers.Add(baseOffset + p);
        }

    }

    // Walks back from "obj" at p over: optional white-space, generation digits, white-space, number digits.
    private static bool TryHeaderBefore(ReadOnlySpan<byte> s, int p, out int start, out int number, out int generation)
    {
        start = 0;
        number = 0;
        generation = 0;
        var j = p - 1;
        while (j >= 0 && Lexer.IsWhitespace(s[j])) j--;
        var genEnd = j;
        while (j >= 0 && s[j] is >= (byte)'0' and <= (byte)'9') j--;
        if (j == genEnd || genEnd - j > 5) return false;
        var genStart = j + 1;
        var ws = j;
        while (j >= 0 && Lexer.IsWhitespace(s[j])) j--;
        if (j == ws) return false;
        var numEnd = j;
        while (j >= 0 && s[j] is >= (byte)'0' and <= (byte)'9') j--;
        if (j == numEnd || numEnd - j > 10) return false;
        if (j >= 0 && Lexer.IsRegular(s[j])) return false;
        start = j + 1;
        long n = 0;
        for (var k = start; k <= numEnd; k++) n = n * 10 + (s[k] - '0');
        long g = 0;
        for (var k = genStart; k <= genEnd; k++) g = g * 10 + (s[k] - '0');
        if (n is <= 0 or > int.MaxValue || g > 65535) return false;
        number = (int)n;
        generation = (int)g;
        return true;
    }
}
