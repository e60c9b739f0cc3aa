namespace Meterai.Pdf.Verification;

/// <summary>
/// A later signature's widget may draw inside its own rectangle only because it is a signature: a harmless verdict
/// that leans on a visible later signature stands only if that signature verifies and its byte range covers what it
/// shows. Otherwise anyone could lay an "appearance" over a signed page by calling it a signature field.
/// </summary>
internal static class LaterSignatureCoverage
{
    public static void Apply(List<SignatureReport> reports)
    {
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            if (report.ChangesAfter != ModificationLevel.Harmless) continue;
            foreach (var later in report.LaterSignatures)
            {
                if (Problem(reports, later) is not { } problem) continue;
                reports[i] = report with { ChangesAfter = ModificationLevel.Changed, ChangeNotes = [.. report.ChangeNotes, problem], ChangeNoteCount = report.ChangeNoteCount + 1 };
                break;
            }
        }
    }

    private static string? Problem(List<SignatureReport> reports, SignatureCoverage later)
    {
        var by = reports.Find(r => r.FieldObject == later.Field);
        if (by is null) return $"later signature field {later.Field} shows an appearance but holds no signature";
        if (!by.IntegrityValid) return $"the later signature \"{by.FieldName}\" shows an appearance but does not verify ({by.FailureCode})";
        if (by.RevisionEnd <= later.LastOffset) return $"what the later signature \"{by.FieldName}\" shows was written after it signed";
        return null;
    }
}
