using System.Buffers;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

/// <summary>An indirect object as found in the file, with where it ends and what was wrong with it, if anything.</summary>
internal readonly record struct IndirectObject(ObjectId Id, PdfObject Value, long Offset, long EndOffset, string? Anomaly);

/// <summary>
/// Reads "N G obj … endobj" at a byte offset (§7.3.10), streams included: the stream's data is located, never read.
/// A /Length that does not land on "endstream" is an anomaly; the real length is then found by searching.
/// </summary>
internal sealed class IndirectObjectReader(ObjectParser parser)
{
    private static ReadOnlySpan<byte> KwObj => "obj"u8;
    private static ReadOnlySpan<byte> KwEndobj => "endobj"u8;
    private static ReadOnlySpan<byte> KwStream => "stream"u8;
    private static ReadOnlySpan<byte> KwEndstream => "endstream"u8;

    // A failed search for "endstream" from X means there is none in [X, end): later searches from beyond X fail at once.
    // This keeps a file full of unterminated streams from costing a full scan per stream.
    private long _noEndstreamFrom = long.MaxValue;

    private Lexer Lexer => parser.Lexer;

    /// <summary>Reads the "N G obj" header at <paramref name="offset"/> (white-space before it is tolerated).</summary>
    public bool TryReadHeader(long offset, out ObjectId id, out long bodyStart)
    {
        id = default;
        bodyStart = 0;
        if (offset < 0 || offset >= Lexer.Length) return false;
        parser.Seek(offset);
        var lexer = Lexer;
        if (lexer.Next() != TokenKind.Integer) return false;
        var number = lexer.IntValue;
        if (lexer.Next() != TokenKind.Integer) return false;
        var generation = lexer.IntValue;
        if (lexer.Next() != TokenKind.Keyword || !lexer.IsKeyword(KwObj)) return false;
        if (number is < 0 or > int.MaxValue || generation is < 0 or > 65535) return false;
        id = new ObjectId((int)number, (int)generation);
        bodyStart = lexer.Position;
        return true;
    }

    public IndirectObject Read(long offset, Func<PdfReference, long?> resolveLength)
    {
        WorkBudget.Tick();
        if (!TryReadHeader(offset, out var id, out var bodyStart))
        {
            throw new PdfDamageException($"no object header at offset {offset}");
        }

        parser.Seek(bodyStart);
        var value = parser.ParseObject();
        var lexer = Lexer;
        parser.Seek(parser.Position);
        var afterValue = lexer.Position;
        var kind = lexer.Next();
        if (kind == TokenKind.Keyword && lexer.IsKeyword(KwEndobj))
        {
            return new IndirectObject(id, value, offset, lexer.Position, null);
        }

        if (kind == TokenKind.Keyword && lexer.IsKeyword(KwStream) && value is PdfDictionary dict)
        {
            return ReadStream(id, dict, offset, resolveLength);
        }

        // "endobj" missing: the object is still usable; the caller decides whether that counts as damage.
        return new IndirectObject(id, value, offset, afterValue, $"object {id} at offset {offset} has no endobj");
    }

    private IndirectObject ReadStream(ObjectId id, PdfDictionary dict, long offset, Func<PdfReference, long?> resolveLength)
    {
        var lexer = Lexer;
        lexer.SkipStreamEol();
        var dataStart = lexer.Position;
        long? declared = dict["Length"] switch
        {
            PdfInteger i => i.Value,
            PdfReference r when r.Id.Number != id.Number => resolveLength(r),
            _ => null,
        };

        string? anomaly = null;
        long length;
        if (declared is { } d && d >= 0 && dataStart + d <= lexer.Length && EndstreamAt(dataStart + d))
        {
            length = d;
        }
        else
        {
            anomaly = $"object {id} at offset {offset}: /Length does not end at endstream";
            var found = FindEndstream(dataStart);
            if (found < 0)
            {
                return new IndirectObject(id, new PdfStream(dict, dataStart, Math.Max(0, lexer.Length - dataStart)), offset, lexer.Length, $"object {id} at offset {offset}: stream has no endstream");
            }

            length = found - dataStart;
            // The EOL before "endstream" is not part of the data (§7.3.8.1).
            if (length > 0 && ByteAt(found - 1) == '\n') length--;
            if (length > 0 && ByteAt(dataStart + length - 1) == '\r') length--;
            lexer.Seek(found + KwEndstream.Length);
        }

        var stream = new PdfStream(dict, dataStart, length);
        var kind = lexer.Next();
        if (kind != TokenKind.Keyword || !lexer.IsKeyword(KwEndobj))
        {
            anomaly ??= $"object {id} at offset {offset} has no endobj";
            return new IndirectObject(id, stream, offset, lexer.TokenStart, anomaly);
        }

        return new IndirectObject(id, stream, offset, lexer.Position, anomaly);
    }

    private bool EndstreamAt(long position)
    {
        var lexer = Lexer;
        lexer.Seek(position);
        // Only white-space may separate the data from "endstream"; a comment there would mean the length is wrong.
        while (Lexer.IsWhitespace(lexer.Peek())) lexer.Read();
        return lexer.Next() == TokenKind.Keyword && lexer.IsKeyword(KwEndstream);
    }

    private int ByteAt(long position)
    {
        Lexer.Seek(position);
        return Lexer.Peek();
    }

    /// <summary>Offset of the next "endstream" at or after <paramref name="from"/>, or -1.</summary>
    public long FindEndstream(long from)
    {
        if (from >= _noEndstreamFrom) return -1;
        var found = Find(Lexer.Source, KwEndstream, from, Lexer.Length);
        if (found < 0) _noEndstreamFrom = Math.Min(_noEndstreamFrom, from);
        return found;
    }

    /// <summary>Finds <paramref name="pattern"/> in [from, to) reading the source in chunks.</summary>
    public static long Find(ByteSource source, ReadOnlySpan<byte> pattern, long from, long to)
    {
        if (!source.Memory.IsEmpty)
        {
            if (from >= to) return -1;
            var span = source.Memory.Span[(int)from..(int)to];
            var i = span.IndexOf(pattern);
            return i < 0 ? -1 : from + i;
        }

        const int chunk = 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(chunk + pattern.Length);
        try
        {
            var position = from;
            while (position < to)
            {
                var want = (int)Math.Min(chunk + pattern.Length - 1, to - position);
                var n = source.ReadAt(position, buffer.AsSpan(0, want));
                if (n <= 0) return -1;
                var i = buffer.AsSpan(0, n).IndexOf(pattern);
                if (i >= 0) return position + i;
                if (n < pattern.Length) return -1;
                position += n - pattern.Length + 1;
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
