namespace Meterai.Pdf.Signing;

/// <summary>RFC 3161 PKIFailureInfo: the reason a timestamp authority gives for a rejection (bit n is 1 &lt;&lt; n).</summary>
[Flags]
public enum PkiFailureInfo
{
    None = 0,
    BadAlg = 1 << 0,
    BadRequest = 1 << 2,
    BadDataFormat = 1 << 5,
    TimeNotAvailable = 1 << 14,
    UnacceptedPolicy = 1 << 15,
    UnacceptedExtension = 1 << 16,
    AddInfoNotAvailable = 1 << 17,
    SystemFailure = 1 << 25,
}
