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

    /// <summary>The name spelled by <paramref name="bytes"/> (Latin-1); known names are found without allocating.</summary>
    public static PdfName FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 64)
        {
            Span<char> chars = stackalloc char[bytes.Length];
            for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            if (Lookup.TryGetValue(chars, out var known)) return known;
        }

        return Of(Encoding.Latin1.GetString(bytes));
    }

    /// <summary>The string of a dictionary key: shared with the interned name when there is one.</summary>
    public static string KeyFromBytes(ReadOnlySpan<byte> bytes) => FromBytes(bytes).Value;

    private static readonly ConcurrentDictionary<string, PdfName>.AlternateLookup<ReadOnlySpan<char>> Lookup = Interned.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool Equals(PdfName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PdfName n && Equals(n);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => "/" + Value;
}
