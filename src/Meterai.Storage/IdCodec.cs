using System.Buffers.Binary;

namespace Meterai.Storage;

/// <summary>
/// 128-bit ids in the database: big-endian, so that byte order (SQLite BLOB, PostgreSQL uuid) is numeric order and
/// "lock accounts in ascending id order" means the same thing in C# and in SQL.
/// </summary>
internal static class IdCodec
{
    public static byte[] ToBytes(UInt128 id)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return bytes;
    }

    public static UInt128 FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : throw new FormatException($"an id is 16 bytes, not {bytes.Length}");

    /// <summary>A Guid whose uuid text is the id's 32 hex digits (Npgsql writes Guids in RFC 4122 byte order).</summary>
    public static Guid ToGuid(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return new Guid(bytes, bigEndian: true);
    }

    public static UInt128 FromGuid(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}

/// <summary>Times in the database: microseconds since the Unix epoch (SQLite) or timestamptz (PostgreSQL, also µs).</summary>
internal static class TimeCodec
{
    /// <summary>Drops sub-microsecond ticks so that a time reads back exactly as it was written, on both backends.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    public static long ToMicros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + micros * 10, TimeSpan.Zero);
}
