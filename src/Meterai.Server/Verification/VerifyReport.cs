using Meterai.Pdf.Verification;

namespace Meterai.Server.Verification;

public sealed record RegistryMatch(string State, string? RegisteredSha256, bool Matches, DateTimeOffset? StampedAt, string ChannelName);

public sealed record SignatureVerdict(
    string FieldName,
    string? SubFilter,
    bool Valid,
    string? FailureCode,
    string? FailureMessage,
    string? SignerName,
    string? SignerSubject,
    DateTimeOffset? SigningTime,
    DateTimeOffset? TimestampTime,
    bool? Trusted,
    bool IssuerSigned,
    bool IsEMeterai,
    string? Serial,
    RegistryMatch? Registry,
    long RevisionEnd,
    string RevisionSha256,
    bool CoversWholeFile,
    string ChangesAfter,
    IReadOnlyList<string> ChangeNotes,
    int ChangeNoteCount);

/// <summary>
/// Everything a verification found: each signature (oldest first) with its integrity, signer, whether it is an
/// e-Meterai made by this issuer, what the registry says about its serial and whether the registered SHA-256 is the
/// SHA-256 of the revision it signed, and what later revisions changed (nothing, harmless additions such as another
/// signature, or real changes such as page content). <see cref="EMeteraiCount"/> says how many e-Meterai the file
/// carries; <see cref="AllEMeteraiRegistered"/> is true only when there is at least one and every one is issuer-signed
/// and registered to the revision it signed (a file without e-Meterai is never "all registered").
/// Bounded whatever the file: the verdicts (<c>all_valid</c>, …)
/// are over all <see cref="SignatureCount"/> signatures, but at most <c>Verification:MaxSignaturesListed</c> are
/// detailed (e-Meterai first), each with at most <c>Verification:MaxChangeNotes</c> notes (<c>change_note_count</c>
/// counts them all) and texts cut at <see cref="VerificationSettings.MaxTextLength"/> characters;
/// <see cref="Truncated"/> says whether anything was left out.
/// </summary>
public sealed record VerifyResponse(
    long FileBytes,
    bool Damaged,
    bool AllValid,
    bool ChangedAfterEMeterai,
    bool AllEMeteraiRegistered,
    int EMeteraiCount,
    int SignatureCount,
    bool Truncated,
    IReadOnlyList<SignatureVerdict> Signatures)
{
    public static string Level(ModificationLevel level) => level switch
    {
        ModificationLevel.None => "none",
        ModificationLevel.Harmless => "harmless",
        _ => "changed",
    };
}
