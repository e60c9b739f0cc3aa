using System.Security.Cryptography;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>Runs the two-step signing the way the engine does, over a small in-memory "document".</summary>
internal static class SignedCmsFactory
{
    public static byte[] Sign(ISigner signer, ReadOnlySpan<byte> document, ITimestampClient? timestamps = null)
    {
        var profile = CadesSignature.For(signer);
        var prepared = profile.Prepare(SHA256.HashData(document));
        var signature = signer.SignDigest(prepared.DigestToSign.Span);
        var token = timestamps is null ? [] : timestamps.GetTokenAsync(signature).AsTask().GetAwaiter().GetResult().Value;
        return profile.Complete(prepared, signature, token).Value;
    }
}
