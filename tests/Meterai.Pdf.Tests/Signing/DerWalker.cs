using System.Formats.Asn1;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>Reads every element of an encoding under DER rules, failing on any BER-only form (indefinite or non-minimal lengths).</summary>
internal static class DerWalker
{
    public static void AssertDer(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        while (reader.HasData) Walk(reader);
    }

    private static void Walk(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (!tag.IsConstructed)
        {
            reader.ReadEncodedValue();
            return;
        }

        // DER mode also checks that the elements of every SET OF are sorted.
        var inner = tag.HasSameClassAndValue(Asn1Tag.SetOf) ? reader.ReadSetOf() : reader.ReadSequence(tag.TagClass == TagClass.Universal ? null : tag);
        while (inner.HasData) Walk(inner);
    }
}
