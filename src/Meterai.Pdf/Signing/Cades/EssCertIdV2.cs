using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Meterai.Pdf.Signing;

/// <summary>
/// The RFC 5035 signing-certificate-v2 attribute value, which binds a signature to the certificate that made it so
/// the certificate cannot be swapped for another one with the same key (a PAdES baseline requirement).
/// </summary>
internal static class EssCertIdV2
{
    /// <summary>
    /// DER of <c>SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }</c> with one ESSCertIDv2:
    /// hashAlgorithm omitted (its DEFAULT is SHA-256, and DER leaves defaults out), certHash = SHA-256 of the
    /// certificate, issuerSerial = the certificate's issuer as a directoryName and its serial number.
    /// </summary>
    public static byte[] EncodeSigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    writer.WriteEncodedValue(certificate.IssuerName.RawData);
                }

                writer.WriteInteger(certificate.SerialNumberBytes.Span);
            }
        }

        return writer.Encode();
    }

    /// <summary>DER of <c>IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }</c>.</summary>
    public static byte[] EncodeIssuerAndSerialNumber(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(certificate.IssuerName.RawData);
            writer.WriteInteger(certificate.SerialNumberBytes.Span);
        }

        return writer.Encode();
    }
}
