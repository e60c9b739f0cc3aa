using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Meterai.PaySim.Faults;

/// <summary>
/// The sandbox's one source of randomness, keyed rather than sequential: a draw is SHA-256(seed, kind, key, n) read
/// as a number in [0, 1). A shared sequential generator would hand out draws in the order concurrent requests happen
/// to arrive, so two runs with the same seed would still differ; keyed draws depend only on what is decided about
/// (an order's n-th notification, a notification's n-th retry), so a run replays whatever the timing.
/// </summary>
public sealed class SeededChance(long seed)
{
    public long Seed { get; } = seed;

    public double Draw(string kind, string key, long n)
    {
        var text = Encoding.UTF8.GetBytes($"{kind}\0{key}\0{n}");
        Span<byte> input = stackalloc byte[8 + text.Length];
        BinaryPrimitives.WriteInt64LittleEndian(input, Seed);
        text.CopyTo(input[8..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        // 53 bits: every double in [0, 1) this can produce is exact and equally likely.
        return (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    public bool Happens(double probability, string kind, string key, long n) => probability > 0 && Draw(kind, key, n) < probability;

    /// <summary>A stable id (UUID-shaped) for something keyed by the seed, e.g. an order's transaction id.</summary>
    public string Id(string kind, string key)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{Seed}\0{kind}\0{key}"));
        var hex = Convert.ToHexStringLower(bytes.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
