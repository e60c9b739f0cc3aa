namespace Meterai.Pdf.Encryption;

/// <summary>How one class of data (strings or streams) is encrypted (§7.6.5 crypt filter /CFM).</summary>
internal enum CryptMethod
{
    /// <summary>/Identity or /None: stored in clear.</summary>
    None,

    /// <summary>/V2 (or V1/V2 handlers): RC4 with a per-object key.</summary>
    Rc4,

    /// <summary>/AESV2: AES-128-CBC with a per-object key, IV prepended.</summary>
    AesV2,

    /// <summary>/AESV3: AES-256-CBC with the file key itself, IV prepended.</summary>
    AesV3,
}
