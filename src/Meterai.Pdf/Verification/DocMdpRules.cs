namespace Meterai.Pdf.Verification;

/// <summary>
/// What a certification signature's DocMDP permission allows after it (ISO 32000-2 §12.8.2.2, table 257), on top of
/// the allow-list every signature gets (<see cref="AllowedPlace"/>):
/// <list type="bullet">
/// <item>P=1: no change at all; only what long-term validation adds (the /DSS, document timestamps) does not count.
/// A later signature is a change.</item>
/// <item>P=2: filling in forms, instantiating page templates and signing. The allow-list already admits no more than
/// signing (new or empty signature fields), the /DSS, document information and metadata, so it stands as it is. A new
/// visible signature field is harmless here, as the specification says; pyHanko's default rules are stricter and
/// rate it "not permitted" after any certification, which is why the stamping engine signs an empty field instead.</item>
/// <item>P=3: also annotations. The allow-list admits no annotations (one can draw anything over a page), so an added
/// annotation stays a change even at P=3: stricter than the specification, on purpose.</item>
/// </list>
/// </summary>
internal static class DocMdpRules
{
    /// <summary>The SubFilter of a document timestamp (§12.8.5): an LTV addition, not a change of the document.</summary>
    private const string DocumentTimestamp = "ETSI.RFC3161";

    /// <param name="reports">Oldest first.</param>
    public static void Apply(List<SignatureReport> reports)
    {
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            if (report.CertificationLevel != 1 || report.ChangesAfter == ModificationLevel.Changed) continue;
            var later = reports.Find(r => r.RevisionEnd > report.RevisionEnd && r.SubFilter != DocumentTimestamp);
            if (later is null) continue;
            var note = $"the document is certified with DocMDP P=1 (no changes allowed), yet the later signature \"{later.FieldName}\" was added";
            reports[i] = report with { ChangesAfter = ModificationLevel.Changed, ChangeNotes = [.. report.ChangeNotes, note], ChangeNoteCount = report.ChangeNoteCount + 1 };
        }
    }
}
