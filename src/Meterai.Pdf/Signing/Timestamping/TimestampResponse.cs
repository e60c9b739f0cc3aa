using System.Formats.Asn1;

namespace Meterai.Pdf.Signing;

/// <summary>
/// RFC 3161 <c>TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }</c>,
/// written by the authority and read by the HTTP client.
/// </summary>
public sealed record TimestampResponse(int Status, string? StatusText, PkiFailureInfo FailureInfo, ReadOnlyMemory<byte> Token)
{
    public const int Granted = 0;
    public const int GrantedWithMods = 1;
    public const int Rejection = 2;

    public bool IsGranted => Status is Granted or GrantedWithMods;

    internal static byte[] EncodeGranted(ReadOnlySpan<byte> token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence()) writer.WriteInteger(Granted);
            writer.WriteEncodedValue(token);
        }

        return writer.Encode();
    }

    internal static byte[] EncodeRejection(PkiFailureInfo failure, string text)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteInteger(Rejection);
            using (writer.PushSequence()) writer.WriteCharacterString(UniversalTagNumber.UTF8String, text);
            writer.WriteNamedBitList(failure);
        }

        return writer.Encode();
    }

    /// <summary>Reads a TimeStampResp; null when the bytes are not one.</summary>
    public static TimestampResponse? TryDecode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            var response = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var statusInfo = response.ReadSequence();
            if (!statusInfo.TryReadInt32(out var status)) return null;
            string? text = null;
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var texts = statusInfo.ReadSequence();
                var parts = new List<string>();
                while (texts.HasData) parts.Add(texts.ReadCharacterString(UniversalTagNumber.UTF8String));
                text = string.Join("; ", parts);
            }

            var failure = statusInfo.HasData ? statusInfo.ReadNamedBitListValue<PkiFailureInfo>() : PkiFailureInfo.None;
            statusInfo.ThrowIfNotEmpty();
            var token = response.HasData ? response.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
            response.ThrowIfNotEmpty();
            return new TimestampResponse(status, text, failure, token);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
