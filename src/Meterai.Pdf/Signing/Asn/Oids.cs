namespace Meterai.Pdf.Signing;

/// <summary>The object identifiers the signing code writes or recognises, by their names in the RFCs.</summary>
internal static class Oids
{
    // RFC 5652 content types and attributes.
    public const string Data = "1.2.840.113549.1.7.1";
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string ContentType = "1.2.840.113549.1.9.3";
    public const string MessageDigest = "1.2.840.113549.1.9.4";
    public const string SigningTime = "1.2.840.113549.1.9.5";

    // RFC 5035 / RFC 3161 attributes and content types.
    public const string SigningCertificate = "1.2.840.113549.1.9.16.2.12";
    public const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    public const string SignatureTimeStampToken = "1.2.840.113549.1.9.16.2.14";
    public const string TstInfo = "1.2.840.113549.1.9.16.1.4";

    // Digests.
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    // RSA (RFC 8017 / RFC 4055).
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string Mgf1 = "1.2.840.113549.1.1.8";

    // ECDSA (RFC 5758 / RFC 3279).
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    // Extended key usages.
    public const string DocumentSigning = "1.3.6.1.5.5.7.3.36";
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";

    /// <summary>
    /// Policy of the project's own timestamp authority. Under the UUID arc 2.25 (ITU-T X.667), which needs no
    /// registration, so the project owns it without squatting on anyone's arc.
    /// </summary>
    public const string MeteraiTsaPolicy = "2.25.18635249178907828003259489165684709984.1";
}
