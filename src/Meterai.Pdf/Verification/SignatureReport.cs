namespace Meterai.Pdf.Verification;

/// <summary>What one signature says about the file.</summary>
public sealed record SignatureReport
{
    /// <summary>The signature field's fully qualified name.</summary>
    public required string FieldName { get; init; }

    /// <summary>/SubFilter without the slash (ETSI.CAdES.detached, adbe.pkcs7.detached, …).</summary>
    public string? SubFilter { get; init; }

    /// <summary>The bytes the signature covers are the ones that were signed, by the key of the certificate it carries.</summary>
    public required bool IntegrityValid { get; init; }

    /// <summary>Why the integrity check failed (a stable code: digest_mismatch, byte_range_invalid, malformed_cms, …).</summary>
    public string? FailureCode { get; init; }

    public string? FailureMessage { get; init; }

    /// <summary>The signer's common name from its certificate (or /Name when the certificate is missing).</summary>
    public string? SignerName { get; init; }

    /// <summary>The signer certificate's subject distinguished name.</summary>
    public string? SignerSubject { get; init; }

    /// <summary>/M: the time the signer claims.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>The time a valid RFC 3161 signature timestamp attests, when there is one.</summary>
    public DateTimeOffset? TimestampTime { get; init; }

    /// <summary>Whether the signer certificate chains to one of the trusted roots given (null when none were given).</summary>
    public bool? Trusted { get; init; }

    public string? Reason { get; init; }

    /// <summary>The signature is an e-Meterai: its /Reason begins with a well-formed serial number.</summary>
    public bool IsEMeterai { get; init; }

    public string? Serial { get; init; }

    /// <summary>The DocMDP permission when this signature certifies the document (1, 2 or 3), else null.</summary>
    public int? CertificationLevel { get; init; }

    /// <summary>End of the signed revision: the last byte the /ByteRange covers, plus one.</summary>
    public required long RevisionEnd { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the file's first <see cref="RevisionEnd"/> bytes: the document as signed.</summary>
    public required string RevisionSha256 { get; init; }

    /// <summary>The /ByteRange reaches the end of the file.</summary>
    public required bool CoversWholeFile { get; init; }

    /// <summary>What the revisions after this signature changed.</summary>
    public required ModificationLevel ChangesAfter { get; init; }

    /// <summary>What the difference analysis found, for people (bounded: the first notes and a count of the rest).</summary>
    public IReadOnlyList<string> ChangeNotes { get; init; } = [];

    /// <summary>How many changes the difference analysis noted, the ones left out of <see cref="ChangeNotes"/> included.</summary>
    public int ChangeNoteCount { get; init; }

    /// <summary>Object number of the signature field (0 when it is not an indirect object).</summary>
    internal int FieldObject { get; init; }

    /// <summary>Visible later signatures the harmless verdict leans on (<see cref="LaterSignatureCoverage"/>).</summary>
    internal IReadOnlyList<SignatureCoverage> LaterSignatures { get; init; } = [];
}
