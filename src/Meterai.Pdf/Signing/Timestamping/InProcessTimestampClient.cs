using System.Security.Cryptography;
using Meterai.Core.Common;

namespace Meterai.Pdf.Signing;

/// <summary>
/// Timestamps through a <see cref="TimestampAuthority"/> in the same process: no request encoding, no network, no
/// re-verification (the token comes straight from our own authority's key).
/// </summary>
public sealed class InProcessTimestampClient(TimestampAuthority authority) : ITimestampClient
{
    private static readonly Oid Sha256 = new(Oids.Sha256);

    public int MaxTokenSize { get; } = authority.MaxTokenSize(SHA256.HashSizeInBytes, nonceLength: 0);

    public ValueTask<Result<byte[]>> GetTokenAsync(ReadOnlyMemory<byte> signatureValue, CancellationToken cancellationToken = default)
    {
        var imprint = SHA256.HashData(signatureValue.Span);
        // No nonce: it protects a request crossing a network against replay, and nothing crosses one here.
        return ValueTask.FromResult(Result<byte[]>.Ok(authority.IssueToken(Sha256, imprint, nonce: null, includeCertificates: true)));
    }
}
