using System.Buffers.Binary;

namespace Meterai.Core.Common;

/// <summary>
/// How a 128-bit id appears outside the process (URLs, JSON, tokens): the UUID text form of its big-endian bytes,
/// lower case. It is the same text PostgreSQL prints for the uuid column, so an id in a log line can be pasted into
/// a query as it is.
/// </summary>
public static class PublicId
{
    public static string Format(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>Parses the UUID text form (with or without hyphens); zero is not an id.</summary>
    public static bool TryParse(string? text, out UInt128 id)
    {
        id = UInt128.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 36 || !Guid.TryParse(text, out var guid)) return false;
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        id = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return id != UInt128.Zero;
    }
}
