namespace Meterai.Pdf.Signing;

/// <summary>
/// The first half of a two-step CAdES signature: the DER signed attributes over one document digest, and the digest
/// of those attributes, which is all that travels to the signer (a PKCS#12 key here, an HSM or a remote service
/// elsewhere). There is no signing-time attribute, so preparing the same digest with the same signer always gives
/// the same bytes: nothing here has to survive a restart.
/// </summary>
public sealed class PreparedSignature
{
    private readonly byte[] _signedAttributes;
    private readonly byte[] _digestToSign;

    internal PreparedSignature(CadesSignature profile, byte[] signedAttributes, byte[] digestToSign)
    {
        Profile = profile;
        _signedAttributes = signedAttributes;
        _digestToSign = digestToSign;
    }

    /// <summary>DER of the signed attributes as the SET OF that is hashed (tag 0x31).</summary>
    public ReadOnlyMemory<byte> SignedAttributes => _signedAttributes;

    /// <summary>SHA-256 of <see cref="SignedAttributes"/>: the 32 bytes to hand to <see cref="ISigner.SignDigest"/>.</summary>
    public ReadOnlyMemory<byte> DigestToSign => _digestToSign;

    /// <summary>The signer profile that prepared this; <see cref="CadesSignature.Complete"/> refuses any other.</summary>
    internal CadesSignature Profile { get; }

    internal ReadOnlySpan<byte> SignedAttributesSpan => _signedAttributes;

    internal ReadOnlySpan<byte> DigestToSignSpan => _digestToSign;
}
