namespace Meterai.Core.Secrets;

/// <summary>
/// The stored form of a sealed secret: <c>"MKS1"</c>, the length and id of the key-encryption key, a 12-byte nonce,
/// the 16-byte AES-GCM tag, then the ciphertext. The KEK's id travels with the secret so that a rotated KEK ring
/// knows which key opens it; the purpose (say <c>token_signing_key:k1</c>) is authenticated but not stored, so a
/// sealed value copied to another row or file does not open there.
/// </summary>
public static class SealedSecret
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    internal static ReadOnlySpan<byte> Magic => "MKS1"u8;

    /// <summary>True when <paramref name="stored"/> has the sealed layout (otherwise it is a plaintext secret from before sealing).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> stored) =>
        stored.Length > Magic.Length + 1 && stored.StartsWith(Magic) && stored.Length >= Magic.Length + 1 + stored[Magic.Length] + NonceSize + TagSize;

    /// <summary>The id of the KEK that sealed <paramref name="stored"/>, or null when it is not sealed.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> stored) =>
        IsSealed(stored) ? System.Text.Encoding.ASCII.GetString(stored.Slice(Magic.Length + 1, stored[Magic.Length])) : null;
}
