using System.Collections.Concurrent;
using System.Text;

namespace Meterai.Pdf.Objects;

/// <summary>
/// A name (§7.3.5). <see cref="Value"/> holds the name's bytes as Latin-1 characters after #xx unescaping, so that
/// any byte sequence survives a read/write round trip. Common names are shared instances.
/// </summary>
public sealed class PdfName : PdfObject, IEquatable<PdfName>
{
    private static readonly ConcurrentDictionary<string, PdfName> Interned = new(StringComparer.Ordinal);

    private PdfName(string value) => Value = value;

    public string Value { get; }

    /// <summary>Returns the shared instance for well-known names; other names are interned up to a bound.</summary>
    public static PdfName Of(string value)
    {
        if (Interned.TryGetValue(value, out var name)) return name;
        // Names read from hostile files must not grow a process-wide table without bound.
        if (Interned.Count >= 4096 || value.Length > 64) return new PdfName(value);
        return Interned.GetOrAdd(value, v => new PdfName(v));
    }

    public static PdfName FromBytes(ReadOnlySpan<byte> bytes) => Of(Encoding.Latin1.GetString(bytes));

    public bool Equals(PdfName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PdfName n && Equals(n);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => "/" + Value;
}
