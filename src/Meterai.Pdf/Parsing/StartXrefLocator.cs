using System.Buffers;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// Finds the last "startxref" by scanning back from the end of the file in growing steps: files with kilobytes of
/// junk after %%EOF are common, so there is no fixed window. Returns the offset it names.
/// </summary>
internal static class StartXrefLocator
{
    private static ReadOnlySpan<byte> Keyword => "startxref"u8;

    /// <summary>The offset named by the last startxref, or null when there is none or it is unreadable.</summary>
    public static long? Find(ByteSource source, Lexer lexer, out long keywordPosition)
    {
        keywordPosition = -1;
        var position = LastIndexOf(source, Keyword);
        if (position < 0) return null;
        keywordPosition = position;
        lexer.Seek(position + Keyword.Length);
        if (lexer.Next() != TokenKind.Integer) return null;
        var offset = lexer.IntValue;
        return offset >= 0 && offset < source.Length ? offset : null;
    }

    /// <summary>Position of the last occurrence of <paramref name="pattern"/>, scanning backwards in chunks.</summary>
    public static long LastIndexOf(ByteSource source, ReadOnlySpan<byte> pattern)
    {
        var length = source.Length;
        if (!source.Memory.IsEmpty) return source.Memory.Span.LastIndexOf(pattern);

        var chunk = 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024 + pattern.Length);
        try
        {
            var end = length; // exclusive end of the region still to search
            while (end > 0)
            {
                var start = Math.Max(0, end - chunk);
                var n = source.ReadAt(start, buffer.AsSpan(0, (int)(end - start)));
                var i = buffer.AsSpan(0, n).LastIndexOf(pattern);
                if (i >= 0) return start + i;
                if (start == 0) return -1;
                // Overlap by the pattern's length so that a keyword across the boundary is found.
                end = start + pattern.Length - 1;
                chunk = Math.Min(chunk * 2, 256 * 1024);
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
