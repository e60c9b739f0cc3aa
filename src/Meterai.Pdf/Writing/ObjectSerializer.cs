using Meterai.Pdf.Encryption;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Writing;

/// <summary>
/// Writes objects in PDF syntax (§7.3) into a <see cref="ByteBuffer"/>. In an encrypted file every string and stream
/// of an indirect object is encrypted with that object's key as it is written; the values held in memory are always
/// clear text. The two placeholders of a signature dictionary are written in place and their positions recorded.
/// </summary>
internal sealed class ObjectSerializer(ByteBuffer output, SecurityHandler? security, ByteSource source)
{
    private ObjectId _current;
    private bool _encrypt;

    /// <summary>Position of the /ByteRange slot in the buffer, or -1.</summary>
    public int ByteRangePosition { get; private set; } = -1;

    /// <summary>Position of the '&lt;' that opens the /Contents slot, or -1.</summary>
    public int ContentsPosition { get; private set; } = -1;

    /// <summary>Length of the /Contents slot including its angle brackets.</summary>
    public int ContentsLength { get; private set; }

    /// <summary>Writes "N G obj … endobj"; <paramref name="encrypt"/> is false only for a cross-reference stream.</summary>
    public void WriteIndirect(ObjectId id, PdfObject value, bool encrypt = true)
    {
        _current = id;
        _encrypt = encrypt && security is not null;
        output.WriteInteger(id.Number);
        output.WriteByte((byte)' ');
        output.WriteInteger(id.Generation);
        output.Write(" obj\n"u8);
        if (value is PdfStream stream) WriteStream(stream);
        else Write(value);
        output.Write("\nendobj\n"u8);
        _encrypt = false;
    }

    /// <summary>Writes a direct object with no encryption (trailers).</summary>
    public void WriteDirect(PdfObject value)
    {
        _encrypt = false;
        Write(value);
    }

    private void Write(PdfObject value)
    {
        switch (value)
        {
            case PdfNull:
                output.Write("null"u8);
                break;
            case PdfBoolean b:
                output.Write(b.Value ? "true"u8 : "false"u8);
                break;
            case PdfInteger i:
                output.WriteInteger(i.Value);
                break;
            case PdfReal r:
                output.WriteReal(r.Value);
                break;
            case PdfName n:
                WriteName(n.Value);
                break;
            case PdfString s:
                WriteString(s);
                break;
            case PdfReference r:
                output.WriteInteger(r.Id.Number);
                output.WriteByte((byte)' ');
                output.WriteInteger(r.Id.Generation);
                output.Write(" R"u8);
                break;
            case PdfArray a:
                output.WriteByte((byte)'[');
                for (var k = 0; k < a.Count; k++)
                {
                    if (k > 0) output.WriteByte((byte)' ');
                    Write(a[k]);
                }

                output.WriteByte((byte)']');
                break;
            case PdfDictionary d:
                WriteDictionary(d, null);
                break;
            case PdfStream:
                throw new InvalidOperationException("a stream can only be written as an indirect object");
            case ByteRangePlaceholder:
                ByteRangePosition = output.Reserve(ByteRangePlaceholder.Width, (byte)' ');
                break;
            case ContentsPlaceholder c:
                ContentsPosition = output.Length;
                output.WriteByte((byte)'<');
                output.Reserve(c.CapacityBytes * 2, (byte)'0');
                output.WriteByte((byte)'>');
                ContentsLength = output.Length - ContentsPosition;
                break;
            default:
                throw new InvalidOperationException($"cannot write {value.GetType().Name}");
        }
    }

    private void WriteDictionary(PdfDictionary d, long? length)
    {
        output.Write("<<"u8);
        foreach (var (key, v) in d.Entries)
        {
            if (length is not null && key == "Length") continue;
            WriteName(key);
            if (v is not (PdfArray or PdfDictionary or PdfString or PdfName)) output.WriteByte((byte)' ');
            Write(v);
        }

        if (length is { } l)
        {
            output.Write("/Length "u8);
            output.WriteInteger(l);
        }

        output.Write(">>"u8);
    }

    private void WriteStream(PdfStream stream)
    {
        byte[]? inFile = null;
        ReadOnlySpan<byte> data;
        if (stream.EncodedData is { } encoded)
        {
            data = encoded.Span;
            // New streams are held in clear and encrypted here, with this object's key.
            if (_encrypt && security!.EncryptsStreams) data = security.EncryptStream(_current, data);
        }
        else
        {
            // A stream copied from the file (a damaged object rewritten by repair) keeps its raw bytes: same number,
            // same generation, so the same key already encrypted them.
            inFile = new byte[stream.Length];
            var n = source.ReadAt(stream.DataOffset, inFile);
            data = inFile.AsSpan(0, n);
        }

        WriteDictionary(stream.Dictionary, data.Length);
        output.Write("\nstream\n"u8);
        output.Write(data);
        output.Write("\nendstream"u8);
    }

    private void WriteName(string name)
    {
        output.WriteByte((byte)'/');
        foreach (var c in name)
        {
            var b = (byte)c;
            if (b is < 0x21 or > 0x7E or (byte)'#' || Lexer.IsDelimiter(b))
            {
                output.WriteByte((byte)'#');
                output.WriteByte(Hex(b >> 4));
                output.WriteByte(Hex(b & 0xF));
            }
            else
            {
                output.WriteByte(b);
            }
        }
    }

    private void WriteString(PdfString s)
    {
        var bytes = s.Bytes;
        if (_encrypt && security!.EncryptsStrings)
        {
            WriteHex(security.EncryptString(_current, bytes));
            return;
        }

        var printable = !s.IsHex;
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                printable = false;
                break;
            }
        }

        if (!printable)
        {
            WriteHex(bytes);
            return;
        }

        output.WriteByte((byte)'(');
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'(' or (byte)')' or (byte)'\\':
                    output.WriteByte((byte)'\\');
                    output.WriteByte(b);
                    break;
                case (byte)'\r':
                    output.Write("\\r"u8);
                    break;
                case (byte)'\n':
                    output.Write("\\n"u8);
                    break;
                default:
                    output.WriteByte(b);
                    break;
            }
        }

        output.WriteByte((byte)')');
    }

    private void WriteHex(ReadOnlySpan<byte> bytes)
    {
        output.WriteByte((byte)'<');
        foreach (var b in bytes)
        {
            output.WriteByte(Hex(b >> 4));
            output.WriteByte(Hex(b & 0xF));
        }

        output.WriteByte((byte)'>');
    }

    /// <summary>Upper-case hex digit of a nibble.</summary>
    internal static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'A' + v - 10);
}
