using System.Text;

namespace Meterai.Pdf.Objects;

/// <summary>
/// A string (§7.3.4): raw bytes, already decrypted when the document is encrypted. <see cref="IsHex"/> only records
/// how it was written, so that a rewritten object keeps its look.
/// </summary>
public sealed class PdfString(byte[] bytes, bool isHex = false) : PdfObject
{
    public byte[] Bytes { get; } = bytes;

    public bool IsHex { get; } = isHex;

    /// <summary>Encodes a text string (§7.9.2.2): PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE with a BOM.</summary>
    public static PdfString FromText(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c is < ' ' or > '~') { ascii = false; break; }
        }

        if (ascii) return new PdfString(Encoding.ASCII.GetBytes(text));
        var utf16 = Encoding.BigEndianUnicode.GetBytes(text);
        var bytes = new byte[utf16.Length + 2];
        bytes[0] = 0xFE;
        bytes[1] = 0xFF;
        utf16.CopyTo(bytes, 2);
        return new PdfString(bytes);
    }

    /// <summary>Decodes a text string: UTF-16BE with BOM, UTF-8 with BOM (PDF 2.0), else PDFDocEncoding (read as Latin-1, close enough for display).</summary>
    public string ToText()
    {
        var b = Bytes;
        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(b, 2, b.Length - 2);
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return Encoding.UTF8.GetString(b, 3, b.Length - 3);
        return Encoding.Latin1.GetString(b);
    }

    public override string ToString() => "(" + ToText() + ")";
}
