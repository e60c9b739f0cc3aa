using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Writing;

/// <summary>
/// The /ByteRange value of a signature dictionary before it is known: a fixed-width slot of spaces, wide enough for
/// four 64-bit offsets, filled in place once the increment's layout is final.
/// </summary>
internal sealed class ByteRangePlaceholder : PdfObject
{
    /// <summary>"[" + 4 numbers of up to 20 digits with separators + "]".</summary>
    public const int Width = 2 + 4 * 20 + 3;

    public static readonly ByteRangePlaceholder Instance = new();

    private ByteRangePlaceholder()
    {
    }
}

/// <summary>The /Contents hex string of a signature dictionary, reserved at a fixed size and patched after signing.</summary>
internal sealed class ContentsPlaceholder(int capacityBytes) : PdfObject
{
    /// <summary>Bytes of DER the slot can hold (it is written as twice as many hex digits).</summary>
    public int CapacityBytes { get; } = capacityBytes;
}
