using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Meterai.Pdf.Signing;

/// <summary>Maps the algorithm identifiers found in PDF signatures to what .NET can check.</summary>
internal static class Algorithms
{
    public static HashAlgorithmName? Digest(string oid) => oid switch
    {
        Oids.Sha1 or Oids.Sha1WithRsa or Oids.EcdsaWithSha1 => HashAlgorithmName.SHA1,
        Oids.Sha256 or Oids.Sha256WithRsa or Oids.EcdsaWithSha256 => HashAlgorithmName.SHA256,
        Oids.Sha384 or Oids.Sha384WithRsa or Oids.EcdsaWithSha384 => HashAlgorithmName.SHA384,
        Oids.Sha512 or Oids.Sha512WithRsa or Oids.EcdsaWithSha512 => HashAlgorithmName.SHA512,
        // Some signers put a combined signature OID in the digest field; the hash it names is the one meant.
        _ => null,
    };

    public static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data) => algorithm.Name switch
    {
        "SHA1" => SHA1.HashData(data),
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        "SHA512" => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "unsupported hash"),
    };

    public static int HashLength(HashAlgorithmName algorithm) => algorithm.Name switch
    {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "unsupported hash"),
    };

    /// <summary>How a signature is checked: the key type, the hash it signs, the padding for RSA.</summary>
    public sealed record Scheme(bool IsRsa, HashAlgorithmName Hash, RSASignaturePadding? Padding);

    /// <summary>
    /// The scheme for a SignerInfo's signatureAlgorithm; <paramref name="digest"/> fills in where the identifier
    /// names only the key type (rsaEncryption, id-ecPublicKey, as CMS allows). Null when unsupported.
    /// </summary>
    public static Scheme? Signature(string oid, ReadOnlyMemory<byte>? parameters, HashAlgorithmName digest) => oid switch
    {
        Oids.RsaEncryption => new Scheme(true, digest, RSASignaturePadding.Pkcs1),
        Oids.Sha1WithRsa or Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa => new Scheme(true, Digest(oid)!.Value, RSASignaturePadding.Pkcs1),
        Oids.RsaPss => Pss(parameters),
        Oids.EcPublicKey => new Scheme(false, digest, null),
        Oids.EcdsaWithSha1 or Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512 => new Scheme(false, Digest(oid)!.Value, null),
        _ => null,
    };

    /// <summary>
    /// RSASSA-PSS parameters (RFC 4055): .NET verifies PSS with MGF1 over the same hash and a salt as long as the
    /// hash, which is what every PDF signer we know writes; anything else is reported unsupported, not guessed.
    /// </summary>
    private static Scheme? Pss(ReadOnlyMemory<byte>? parameters)
    {
        if (parameters is null) return null;
        var sequence = new AsnReader(parameters.Value, AsnEncodingRules.BER).ReadSequence();
        var hash = Oids.Sha1;
        var mgfHash = Oids.Sha1;
        var salt = 20;
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            hash = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            var mgf = sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)).ReadSequence();
            if (mgf.ReadObjectIdentifier() != Oids.Mgf1) return null;
            mgfHash = mgf.ReadSequence().ReadObjectIdentifier();
        }

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
        {
            if (!sequence.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).TryReadInt32(out salt)) return null;
        }

        var name = Digest(hash);
        if (name is null || hash != mgfHash || salt != HashLength(name.Value)) return null;
        return new Scheme(true, name.Value, RSASignaturePadding.Pss);
    }
}
