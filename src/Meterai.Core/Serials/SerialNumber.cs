using System.Security.Cryptography;
using Meterai.Core.Common;

namespace Meterai.Core.Serials;

/// <summary>
/// An e-Meterai serial number: 22 characters of [0-9A-Z], 21 drawn from a CSPRNG (21 × log2 36 ≈ 108.6 bits, so
/// serials cannot be guessed) and one check character that catches every single-character error and every swap of
/// two adjacent characters, so a mistyped serial is refused before any lookup.
/// </summary>
/// <remarks>
/// The check is Damm's scheme over a totally anti-symmetric quasigroup of order 36 (<see cref="DammQuasigroup36"/>).
/// ISO/IEC 7064 MOD 37,36, the obvious candidate, misses some adjacent swaps (e.g. "78" ↔ "87" after certain
/// prefixes); the Damm check provably misses none.
/// </remarks>
public readonly record struct SerialNumber
{
    public const int Length = 22;
    public const int RandomLength = Length - 1;
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const int Modulus = 36;

    private readonly string? _value;

    private SerialNumber(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("default SerialNumber has no value");

    public override string ToString() => Value;

    /// <summary>Mints a new serial from the operating system's CSPRNG.</summary>
    /// <remarks>
    /// One CSPRNG call fills a buffer; bytes ≥ 252 (= 7 × 36) are rejected so that every character stays uniform.
    /// (One <see cref="RandomNumberGenerator.GetInt32(int)"/> call per character cost ~55 µs per serial.)
    /// </remarks>
    public static SerialNumber New()
    {
        const int unbiasedLimit = 252;
        Span<byte> random = stackalloc byte[32];
        Span<char> chars = stackalloc char[Length];
        var filled = 0;
        while (filled < RandomLength)
        {
            RandomNumberGenerator.Fill(random);
            foreach (var b in random)
            {
                if (b >= unbiasedLimit) continue;
                chars[filled++] = Alphabet[b % Modulus];
                if (filled == RandomLength) break;
            }
        }

        chars[RandomLength] = Alphabet[CheckValue(chars[..RandomLength])];
        return new SerialNumber(new string(chars));
    }

    /// <summary>
    /// Parses a serial typed or scanned by anyone. Lower-case letters are accepted and upper-cased (people copy
    /// serials from paper); anything else outside [0-9A-Z], a wrong length or a wrong check character is refused
    /// with its own code.
    /// </summary>
    public static Result<SerialNumber> Parse(string? text)
    {
        if (text is null || text.Length != Length)
        {
            return new Error(SerialErrors.InvalidLength, $"a serial number has exactly {Length} characters");
        }

        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            var c = text[i];
            if (c is >= 'a' and <= 'z') c = (char)(c - 'a' + 'A');
            if (ValueOf(c) < 0)
            {
                return new Error(SerialErrors.InvalidCharacter, $"character {i + 1} of the serial number is not a digit or a letter A-Z");
            }

            chars[i] = c;
        }

        if (CheckValue(chars[..RandomLength]) != ValueOf(chars[RandomLength]))
        {
            return new Error(SerialErrors.InvalidCheckCharacter, "the serial number's check character does not match: it was mistyped or forged");
        }

        return new SerialNumber(new string(chars));
    }

    public static bool TryParse(string? text, out SerialNumber serial)
    {
        var r = Parse(text);
        serial = r.IsOk ? r.Value : default;
        return r.IsOk;
    }

    /// <summary>The check value that brings the Damm interim of the whole string back to zero.</summary>
    internal static int CheckValue(ReadOnlySpan<char> body)
    {
        var interim = 0;
        foreach (var c in body) interim = DammQuasigroup36.Combine(interim, ValueOf(c));
        return DammQuasigroup36.Completion(interim);
    }

    private static int ValueOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}

/// <summary>Error codes of serial-number parsing (stable, public).</summary>
public static class SerialErrors
{
    public const string InvalidLength = "serial_invalid_length";
    public const string InvalidCharacter = "serial_invalid_character";
    public const string InvalidCheckCharacter = "serial_invalid_check_character";
}
