using Meterai.Core.Serials;
using Meterai.Pdf.Verification;
using Meterai.Server.Stamping;

namespace Meterai.Server.Verification;

/// <summary>
/// Turns the engine's report into the answer: each e-Meterai's serial looked up in the registry (once per serial),
/// the verdicts over every signature, and a bounded list of details (see <see cref="VerifyResponse"/>).
/// </summary>
internal static class VerifyAnswer
{
    public static async Task<VerifyResponse> BuildAsync(VerificationReport report, IssuerKeys keys, SerialLookup lookup, VerificationSettings settings, CancellationToken ct)
    {
        var entries = new Dictionary<string, SerialResponse?>(StringComparer.Ordinal);
        var verdicts = new List<SignatureVerdict>(report.Signatures.Count);
        foreach (var sig in report.Signatures)
        {
            RegistryMatch? registry = null;
            if (sig.Serial is not null && SerialNumber.TryParse(sig.Serial, out var serial))
            {
                var entry = await EntryAsync(serial, lookup, entries, ct);
                registry = entry is null
                    ? new RegistryMatch("not_found", null, false, null, "unknown")
                    : new RegistryMatch(entry.State, entry.DocumentSha256, entry.Valid && entry.DocumentSha256 == sig.RevisionSha256, entry.StampedAt, entry.ChannelName);
            }

            verdicts.Add(Verdict(sig, registry, keys));
        }

        var listed = Listed(verdicts, settings.MaxSignaturesListed);
        var truncated = listed.Count < verdicts.Count || verdicts.Any(v => v.ChangeNoteCount > v.ChangeNotes.Count);
        // Over every verdict, not only the listed ones; and never "all registered" for a file that has none.
        var stamps = verdicts.Where(v => v.IsEMeterai).ToList();
        var allRegistered = stamps.Count > 0 && stamps.All(v => v.Registry?.Matches == true && v.IssuerSigned);
        return new VerifyResponse(report.FileLength, report.Damaged, report.AllValid, report.ChangedAfterEMeterai, allRegistered, stamps.Count, verdicts.Count, truncated, listed);
    }

    private static SignatureVerdict Verdict(SignatureReport sig, RegistryMatch? registry, IssuerKeys keys)
    {
        var issuerSigned = sig.IntegrityValid && sig.Trusted == true && sig.SignerSubject == keys.Signer.Certificate.Subject;
        return new SignatureVerdict(Cap(sig.FieldName)!, sig.SubFilter, sig.IntegrityValid, sig.FailureCode, Cap(sig.FailureMessage), Cap(sig.SignerName), Cap(sig.SignerSubject),
            sig.SigningTime, sig.TimestampTime, sig.Trusted, issuerSigned, sig.IsEMeterai, sig.Serial, registry, sig.RevisionEnd, sig.RevisionSha256,
            sig.CoversWholeFile, VerifyResponse.Level(sig.ChangesAfter), sig.ChangeNotes.Select(n => Cap(n)!).ToList(), sig.ChangeNoteCount);
    }

    /// <summary>A serial's registry entry, looked up once per serial however many signatures name it.</summary>
    private static async Task<SerialResponse?> EntryAsync(SerialNumber serial, SerialLookup lookup, Dictionary<string, SerialResponse?> seen, CancellationToken ct)
    {
        if (seen.TryGetValue(serial.Value, out var known)) return known;
        var entry = await lookup.FindAsync(serial, ct);
        seen[serial.Value] = entry;
        return entry;
    }

    /// <summary>At most <paramref name="max"/> signatures, e-Meterai first, in the order they were applied.</summary>
    private static List<SignatureVerdict> Listed(List<SignatureVerdict> all, int max)
    {
        if (all.Count <= max) return all;
        var chosen = all.Select((v, i) => (v, i)).OrderBy(x => x.v.IsEMeterai ? 0 : 1).ThenBy(x => x.i).Take(max);
        return chosen.OrderBy(x => x.i).Select(x => x.v).ToList();
    }

    private static string? Cap(string? text) =>
        text is null || text.Length <= VerificationSettings.MaxTextLength ? text : string.Concat(text.AsSpan(0, VerificationSettings.MaxTextLength - 1), "…");
}
